import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_the_plan_hierarchy_in_thai(browser_page):
    page = browser_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "th"
    workstreams = page.locator("article.workstream h3").all_inner_texts()
    assert workstreams == ["1. สภาองค์กรชุมชน", "2. เศรษฐกิจฐานราก", "3. สวัสดิการชุมชน", "4. การพัฒนาที่อยู่อาศัย"]
    assert set(page.locator(".stat .value").all_inner_texts()) == {"3,500", "6,000", "100"}
    # The Thai font is the app's own Sarabun, loaded from the app.
    assert page.evaluate(
        "async () => { const f = await document.fonts.load('16px Sarabun', 'ตำบล'); return f.length > 0; }"
    )
    page.get_by_role("link", name="2. เศรษฐกิจฐานราก").click()
    assert "ยุทธศาสตร์ชาติ" in page.locator(".chain-up").inner_text()
