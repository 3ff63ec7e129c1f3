"""The fixed wording of the report documents, in Thai and English.

The reports are filed with the Budget Bureau as Thai government documents: their titles and column
headings follow the wording of its forms (แบบ สงป. 301 / 302), so they are kept here as document text
beside an English edition, not taken from the interface translations (which can differ by user and may
still be missing a Thai string). The web pages around the reports use gettext as everywhere else.
"""

from codi_plans.thai_calendar import THAI_MONTHS_ABBR

ORGANISATION = {
    "th": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "en": "Community Organizations Development Institute (Public Organization)",
}

WORDS: dict[str, tuple[str, str]] = {
    # Titles
    "form.plan": ("แบบ สงป. 301", "Form BB 301"),
    "form.progress": ("แบบ สงป. 302", "Form BB 302"),
    "form.evaluation": ("รายงานผลการประเมิน", "Evaluation report"),
    "title.plan": ("แผนการปฏิบัติงานและแผนการใช้จ่ายงบประมาณ", "Work plan and spending plan"),
    "title.progress": ("รายงานผลการปฏิบัติงานและผลการใช้จ่ายงบประมาณ", "Report on performance and spending"),
    "title.evaluation": ("รายงานการประเมินผลการดำเนินงานประจำปี", "Annual evaluation of performance"),
    "fiscal_year": ("ปีงบประมาณ พ.ศ.", "Fiscal year B.E."),
    "quarter": ("ไตรมาสที่", "Quarter"),
    "agency": ("หน่วยงาน", "Agency"),
    "scope": ("ขอบเขต", "Scope"),
    "as_of": ("ข้อมูล ณ วันที่", "Data as of"),
    "fingerprint": ("รหัสตรวจสอบข้อมูล (sha256)", "Data fingerprint (sha256)"),
    "page": ("หน้า", "Page"),
    "contents": ("สารบัญ", "Contents"),
    "whole_country": ("ทั้งประเทศ", "Whole country"),
    "region": ("ภาค", "Region"),
    "province_group": ("กลุ่มจังหวัด", "Province group"),
    "province": ("จังหวัด", "Province"),
    "workstream": ("ประเด็นงาน", "Workstream"),
    "no_programme": ("ไม่ระบุแผนงาน", "No programme given"),
    "detail_in_excel": (
        "รายละเอียดรายโครงการและรายกิจกรรมอยู่ในไฟล์ Excel ของรายงานนี้ ตารางนี้รวมยอดรายจังหวัด",
        "Project and activity detail is in this report's Excel file; this table sums it by province.",
    ),
    "text_in_excel": (
        "ข้อความรายโครงการทั้งหมดอยู่ในไฟล์ Excel ของรายงานนี้",
        "The full text for every project is in this report's Excel file.",
    ),
    "nothing": ("ไม่มีข้อมูล", "No data"),
    # Sections
    "section.summary": ("สรุปภาพรวม", "Summary"),
    "section.work_plan": ("แผนการปฏิบัติงาน (ปริมาณงาน)", "Work plan (outputs)"),
    "section.spending_plan": ("แผนการใช้จ่ายงบประมาณ", "Spending plan"),
    "section.monthly_plan": ("แผนการใช้จ่ายงบประมาณรายเดือน", "Monthly spending plan"),
    "section.targets": ("เป้าหมาย ตัวชี้วัด และผลที่คาดว่าจะได้รับ", "Targets, indicators and expected benefits"),
    "section.indicators": ("ตัวชี้วัดตามแผน", "Plan indicators"),
    "section.outputs": ("ผลการปฏิบัติงาน (ปริมาณงาน)", "Performance (outputs)"),
    "section.spending": ("ผลการใช้จ่ายงบประมาณ", "Spending"),
    "section.problems": ("ปัญหา อุปสรรค และแนวทางแก้ไข", "Problems, obstacles and remedies"),
    "section.achievements": ("ผลสัมฤทธิ์เทียบกับเป้าหมาย", "Achievements against targets"),
    "section.outcomes": ("ผลลัพธ์และบทเรียน", "Outcomes and lessons"),
    "section.chart": ("ความก้าวหน้าเทียบกับเป้าหมาย", "Progress against target"),
    "section.chart_plan": ("แผนการใช้จ่ายงบประมาณสะสมรายไตรมาส", "Cumulative spending plan by quarter"),
    # Columns
    "col.no": ("ที่", "No."),
    "col.item": ("แผนงาน / โครงการ / กิจกรรม", "Programme / project / activity"),
    "col.programme": ("แผนงาน", "Programme"),
    "col.project": ("โครงการ", "Project"),
    "col.province": ("จังหวัด", "Province"),
    "col.unit": ("หน่วยนับ", "Unit"),
    "col.projects": ("จำนวนโครงการ", "Projects"),
    "col.approved": ("งบประมาณที่ได้รับอนุมัติ (บาท)", "Approved (baht)"),
    "col.planned_total": ("แผนทั้งปี", "Plan, whole year"),
    "col.q": ("ไตรมาส", "Q"),
    "col.month": ("เดือน", "Month"),
    "col.plan_quarter": ("แผน ไตรมาสนี้", "Plan, this quarter"),
    "col.actual_quarter": ("ผล ไตรมาสนี้", "Actual, this quarter"),
    "col.plan_cum": ("แผนสะสม", "Plan to date"),
    "col.actual_cum": ("ผลสะสม", "Actual to date"),
    "col.percent_plan": ("ร้อยละของแผนสะสม", "% of plan to date"),
    "col.percent_approved": ("ร้อยละของงบที่อนุมัติ", "% of approved"),
    "col.spent": ("ใช้จ่ายจริง (บาท)", "Spent (baht)"),
    "col.indicator": ("ตัวชี้วัด", "Indicator"),
    "col.target_year": ("ค่าเป้าหมายทั้งปี", "Target, whole year"),
    "col.expected": ("ค่าเป้าหมาย ณ ไตรมาสนี้", "Expected to date"),
    "col.actual": ("ผลการดำเนินงาน", "Actual"),
    "col.progress": ("ร้อยละความก้าวหน้า", "Progress %"),
    "col.band": ("สถานะ", "Status"),
    "col.target": ("ค่าเป้าหมาย", "Target"),
    "col.achieved": ("ผลที่ได้", "Achieved"),
    "col.achievement": ("ร้อยละของเป้าหมาย", "% of target"),
    "col.targets": ("เป้าหมาย", "Targets"),
    "col.expected_benefits": ("ผลที่คาดว่าจะได้รับ", "Expected benefits"),
    "col.progress_text": ("ผลการดำเนินงาน", "Progress"),
    "col.problems": ("ปัญหา", "Problems"),
    "col.obstacles": ("อุปสรรค", "Obstacles"),
    "col.remedies": ("แนวทางแก้ไข", "Remedies"),
    "col.lessons": ("บทเรียนและข้อเสนอแนะ", "Lessons and recommendations"),
    "col.outcome": ("ผลลัพธ์ที่เกิดขึ้น", "Outcome"),
    "total": ("รวมทั้งสิ้น", "Grand total"),
    "subtotal": ("รวม", "Total"),
    # Facts on the first page
    "fact.projects": ("จำนวนโครงการ", "Projects"),
    "fact.approved": ("งบประมาณที่ได้รับอนุมัติ", "Approved budget"),
    "fact.planned": ("แผนการใช้จ่ายทั้งปี", "Spending plan, whole year"),
    "fact.planned_cum": ("แผนการใช้จ่ายสะสม", "Spending plan to date"),
    "fact.spent_cum": ("ผลการใช้จ่ายสะสม", "Spent to date"),
    "fact.spent": ("ผลการใช้จ่ายทั้งปี", "Spent, whole year"),
    "baht": ("บาท", "baht"),
    # Excel sheet names (at most 31 characters)
    "sheet.summary": ("สรุปภาพรวม", "Summary"),
    "sheet.work_plan": ("แผนการปฏิบัติงาน", "Work plan"),
    "sheet.spending_plan": ("แผนการใช้จ่าย", "Spending plan"),
    "sheet.monthly_plan": ("แผนการใช้จ่ายรายเดือน", "Monthly plan"),
    "sheet.targets": ("เป้าหมายและผลที่คาดว่าจะได้รับ", "Targets and benefits"),
    "sheet.indicators": ("ตัวชี้วัด", "Indicators"),
    "sheet.outputs": ("ผลการปฏิบัติงาน", "Outputs"),
    "sheet.spending": ("ผลการใช้จ่าย", "Spending"),
    "sheet.problems": ("ปัญหาอุปสรรค", "Problems"),
    "sheet.achievements": ("ผลสัมฤทธิ์", "Achievements"),
    "sheet.outcomes": ("ผลลัพธ์และบทเรียน", "Outcomes and lessons"),
    # Fair distribution (budgets/fairness.py)
    "section.fairness": ("การกระจายงบประมาณอย่างทั่วถึงและเป็นธรรม", "Fair distribution of the budget"),
    "sheet.fairness": ("การกระจายงบประมาณ", "Fair distribution"),
    "col.area": ("พื้นที่", "Area"),
    "col.population": ("ประชากร (คน)", "Population"),
    "col.households": ("ครัวเรือน", "Households"),
    "col.tambons": ("จำนวนตำบล", "Tambons"),
    "col.requested": ("งบประมาณที่เสนอขอ (บาท)", "Requested (baht)"),
    "col.per_head": ("งบที่อนุมัติต่อคน (บาท)", "Approved per head (baht)"),
    "col.per_household": ("งบที่อนุมัติต่อครัวเรือน (บาท)", "Approved per household (baht)"),
    "col.per_tambon": ("งบที่อนุมัติต่อตำบล (บาท)", "Approved per tambon (baht)"),
    "fair.rule": (
        "งบประมาณของคำขอแบ่งให้ตำบลตามสัดส่วนงบ พอช. ของโครงการที่คำขอสนับสนุนในปีงบประมาณนั้น (เท่ากันเมื่อไม่มี) "
        "คำขอที่ไม่มีโครงการนับที่ระดับจังหวัด ประชากรจากข้อมูลทางการที่นำเข้า หรือจากข้อมูลพื้นฐานของแผนตำบล",
        "A request's money is shared among the tambons of the projects it funds in proportion to their CODI budget "
        "lines of the year (equally when those are zero); a request without projects counts at province level. "
        "Population: the official figures imported, otherwise the tambon plans' profiles.",
    ),
    "fair.rate": ("อัตราเฉลี่ยทั้งประเทศ", "National rate"),
    "fair.baht_per_head": ("บาทต่อคน", "baht per head"),
    "fair.gini_provinces": ("สัมประสิทธิ์จีนีของงบต่อคนระหว่างจังหวัด", "Gini coefficient of per-head budget across provinces"),
    "fair.gini_tambons": ("สัมประสิทธิ์จีนีของงบต่อคนระหว่างตำบล", "Gini coefficient of per-head budget across tambons"),
    "fair.decile_ratio": (
        "อัตราส่วนงบต่อคนของจังหวัดกลุ่มสูงสุดร้อยละ 10 ต่อกลุ่มต่ำสุดร้อยละ 10",
        "Ratio of the highest to the lowest decile of provinces (per head)",
    ),
    "fair.unattributed": ("งบที่อนุมัติซึ่งไม่ได้ลงตำบล (ระดับจังหวัด)", "Approved money at province level only"),
    "fair.unfunded": ("ตำบลที่ไม่มีโครงการได้รับงบ", "Tambons with no project funded"),
    "fair.flagged": (
        "จังหวัดที่งบต่อคนต่ำกว่าครึ่งหนึ่งหรือสูงกว่าสองเท่าของอัตราเฉลี่ยทั้งประเทศ",
        "Provinces below half or above double the national rate per head",
    ),
    "fair.lorenz": ("เส้นโค้งลอเรนซ์ของงบที่อนุมัติระหว่างจังหวัด", "Lorenz curve of approved budget across provinces"),
    "fair.lorenz_x": ("สัดส่วนประชากรสะสม", "Cumulative share of population"),
    "fair.lorenz_y": ("สัดส่วนงบที่อนุมัติสะสม", "Cumulative share of approved budget"),
    "fair.flag.low": ("ต่ำ", "low"),
    "fair.flag.high": ("สูง", "high"),
    # Bands
    "band.on_track": ("ตามเป้าหมาย", "On track"),
    "band.at_risk": ("เสี่ยง", "At risk"),
    "band.off_track": ("ต่ำกว่าเป้าหมาย", "Off track"),
    # Why an indicator has no band (honest progress)
    "reason.no_target": ("ไม่ได้กำหนดเป้าหมายของปีนี้", "No target set for the year"),
    "reason.no_results": ("ยังไม่มีการรายงานผล", "No results reported yet"),
}

ENGLISH_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def word(key: str, language: str = "th") -> str:
    """Return a piece of document wording in the report's language."""
    th, en = WORDS[key]
    return en if language == "en" else th


def month_name(month: int, language: str = "th") -> str:
    """Return a month's abbreviated name in the report's language."""
    return (ENGLISH_MONTHS_ABBR if language == "en" else THAI_MONTHS_ABBR)[month - 1]
