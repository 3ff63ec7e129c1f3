"""Every item of DOMAIN.md section 2 ("What the seed says must be in the system"), as (code, Thai text it must show)."""

SECTION_2_ITEMS = [
    # National level
    ("NS", "ยุทธศาสตร์ชาติ"),
    ("NS-4", "การสร้างโอกาสและความเสมอภาคทางสังคม"),
    ("NS-4-I4", "การเพิ่มขีดความสามารถของชุมชนท้องถิ่นในการพัฒนา การพึ่งตนเองและการจัดการตนเอง"),
    ("MP-2561-15", "พลังทางสังคม"),
    ("MP-2561-16", "เศรษฐกิจฐานราก"),
    ("MP-2561-17", "ความเสมอภาคและหลักประกันทางสังคม"),
    ("RP", "แผนการปฏิรูปประเทศ"),
    ("RP-09", "ด้านสังคม"),
    ("RP-09-1", "สิทธิ/บทบาทชุมชน"),
    ("RP-09-2", "การจัดการทรัพยากร/ทุนชุมชน"),
    ("RP-09-3", "เศรษฐกิจชุมชน"),
    ("RP-09-4", "สวัสดิการชุมชน"),
    ("HMP", "คนไทยทุกคนมีที่อยู่อาศัยถ้วนทั่ว"),
    # CODI level
    ("CODI-S", "องค์กรชุมชนเป็นแกนหลัก พื้นที่เป็นตัวตั้ง"),
    ("CODI-AP", "แผนปฏิบัติการระยะ 3 ปี"),
    ("CODI-FY2563", "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2563"),
    ("CODI-FY2563-P3", "100"),
    # Workstreams
    ("WS-COUNCIL", "สภาองค์กรชุมชนเป็นกลไกเชื่อมโยงทุกภาคส่วน"),
    ("WS-ECONOMY", "3,500"),
    ("WS-WELFARE", "6,000"),
    ("WS-HOUSING", "การพัฒนาที่อยู่อาศัย"),
]

# (parent code, kind, how many) for the counted items of section 2.
SECTION_2_COUNTS = [
    ("NS", "strategy", 6),
    ("MP-2561", "master_plan", 23),
    ("MP-2566", "master_plan", 23),
    ("RP-09", "reform_element", 4),
    ("HMP", "housing_strategic_issue", 5),
    ("CODI-S", "codi_strategic_issue", 4),
    ("CODI-FY2563", "annual_programme", 7),
    ("CODI-AP", "workstream", 4),
    ("WS-COUNCIL", "goal", 4),
    ("WS-ECONOMY", "goal", 7),
    ("WS-WELFARE", "goal", 5),
    ("WS-HOUSING", "goal", 10),
]
COUNCIL_PROGRAMMES = 21
