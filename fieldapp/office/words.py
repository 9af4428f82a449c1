"""The office's own words (dashboard, reports, notices, bulletins, imports, its command line),
zh-CN in the plan's own words; with every word both sides speak (fieldapp.text.common).

``from fieldapp.office import words as S``. Never a Chinese literal in office code: add a
constant here (``scripts/make_font_subset.py`` reads this file for the font subset).
"""

from __future__ import annotations

from fieldapp.text.common import *  # noqa: F401,F403 - the words both sides speak
CATEGORY = "问题类别"
NOTE = "备注"

# --- photos and position ----------------------------------------------------------
PHOTO = "照片"
PHOTO_EXEMPTION_OFFICE = "社区申请免责的照片"

# =====================================================================================
# Office dashboard (fieldapp/office/dashboard/, served by `fieldapp office serve` at /)
# Owned by the dashboard; other screens add their constants above this block.
# =====================================================================================
DASH_TITLE = "整脏治乱考核 · 办事处工作台"
DASH_SHORT = "考核工作台"
DASH_ROLE = {"admin": "管理员", "staff": "工作人员", "viewer": "只读"}
DASH_USER_LINE = "{name}（{role}）"
DASH_LOGOUT = "退出登录"
DASH_READ_ONLY = "只读账户：可以查看和导出，不能录入或修改。"
DASH_UPDATED = "数据更新于 {time}"
DASH_YEAR = "{year}年度"
# the current year has no rules at the office (shell.py, on every screen); 排名 switches years
DASH_NO_RULES_YEAR = ("还没有{year}年度的考核规则：{year}年登记的案件暂不计分、不排名。"
                      "请管理员按新一年的考核方案添加{year}年度的规则（见使用说明），再在“排名”中切换年度。")

# --- 登录 -------------------------------------------------------------------------------
DASH_LOGIN_TITLE = "工作人员登录"
DASH_LOGIN_HINT = "还没有账户或忘了密码：请找管理员。"
DASH_USERNAME = "用户名"
DASH_PASSWORD = "密码"
DASH_LOGIN = "登录"
DASH_LOGIN_FAILED = "用户名或密码不对，请重试。"
DASH_LOGIN_NEEDED = "请填写用户名和密码。"
DASH_SESSION_OVER = "登录已过期或账户已停用，请重新登录。"

# --- 导航 -------------------------------------------------------------------------------
DASH_NAV_RANKING = "排名"
DASH_NAV_COMMUNITY = "社区详情"
DASH_NAV_CASES = "案件"
DASH_NAV_ENTRY = "录入"
DASH_NAV_FUND = "奖惩基金"

# --- 排名 -------------------------------------------------------------------------------
DASH_RANKING_TITLE = "社区考核排名"
DASH_LIVE = "实时排名"
DASH_LIVE_HINT = "假如今天年终：按 {day} 24 时的记录评分"
DASH_FINAL = "年终排名"
DASH_FINAL_HINT = "按 {day} 24 时评分"
DASH_FINAL_PENDING = "年度尚未结束：按现有记录推算，年底前到期仍未整改的案件按未整改计。"
DASH_EXPORT = "导出报表"
DASH_EXPORT_TEMPLATE = "下载模板"
DASH_EXPORTING = "正在生成报表…"
DASH_REPORT_FILE = "{kind}-{year}-{day}.xlsx"
DASH_REPORT_KIND = {"live": "实时排名报表", "final": "年终排名报表"}
DASH_COL_RANK = "名次"
DASH_COL_COMMUNITY = "社区"
DASH_COL_SUPERIOR = "上级考核"
DASH_COL_OFFICE = "本办考核"
DASH_COL_SATISFACTION = "群众满意度"
DASH_COL_COMPOSITE = "综合得分"
DASH_COL_DEDUCTIONS = "扣分"
DASH_COL_BONUSES = "加分"
DASH_COL_FINAL = "最终得分"
DASH_TIED = "并列"
DASH_MONTHS = "{n}个月"
DASH_TIMES = "{n}次"
DASH_PEOPLE = "{n}人"
DASH_NO_DATA = "无数据"
DASH_CHART_SCORES = "最终得分与三项得分"
DASH_CHART_MONTHLY = "上级考核月度得分"
DASH_MONTH = "{m}月"
DASH_NOTES = "说明"

# --- 社区详情 -------------------------------------------------------------------------------
DASH_COMMUNITY_TITLE = "社区详情"
DASH_SCORE_LINE = "第 {rank} 名{tied}，最终得分 {final}"
DASH_ITEMS = "扣分与加分明细"
DASH_ITEMS_EMPTY = "没有扣分或加分"
DASH_COL_KIND = "类别"
DASH_COL_POINTS = "分值"
DASH_COL_RULE = "规则"
DASH_COL_REASON = "说明"
DASH_COL_DATE = "日期"
DASH_COL_CASE = "案件"
DASH_DEDUCTION = "扣分"
DASH_BONUS = "加分"
DASH_OPEN_CASE = "查看案件"
DASH_OPEN_COMMUNITY = "查看详情"
DASH_RECURRENCE_REASON = "整改后同一问题再次出现"
DASH_NOTE_CASE = "案件“{label}”"  # a note's case on the screen (the report names it by a short id)
#: notes naming a case's source: by its name in the rules (fieldapp.domain.scoring N_* codes)
DASH_NOTE_TEXTS = {
    "unverified": "案件“{case}”（来源：{source}）尚未核查属实，不计分",
    "exemption_ignored": "案件“{case}”（来源：{source}）不适用免于加扣，已忽略",
}

# --- 案件 ---------------------------------------------------------------------------------
DASH_CASES_TITLE = "案件"
DASH_FILTER_COMMUNITY = "社区"
DASH_FILTER_STATUS = "状态"
DASH_STATUS_OPEN_ALL = "全部待办"
DASH_STATUS_ALL = "全部案件"
DASH_CASES_EMPTY = "没有符合条件的案件"
DASH_CASES_COUNT = "共 {n} 件"
DASH_CASES_MORE = "显示更多"
DASH_COL_STATUS = "状态"
DASH_COL_CATEGORY = "问题类别"
DASH_COL_SOURCE = "来源"
DASH_COL_PLACE = "地点与描述"
DASH_ITEMS_COUNT = "共 {n} 项，显示前 {shown} 项"
DASH_NOTES_MORE = "另有 {n} 条说明，见导出的报表"
DASH_COL_DEADLINE = "整改期限"
DASH_COL_BY = "登记人"
DASH_PROPOSALS = "待确认的再次出现"
DASH_PROPOSALS_EMPTY = "没有待确认的再次出现"
DASH_PROPOSAL_LINE = "{new} 疑似 {earlier} 整改后再次出现"
DASH_CONFIRM_RECURRENCE = "确认再次出现"
DASH_REJECT_RECURRENCE = "不是同一问题"
DASH_RECURRENCE_CONFIRMED = "已确认再次出现：{community}扣 {points} 分"
DASH_RECURRENCE_REJECTED = "已认定不是同一问题"
DASH_EXTERNAL = "外部案件（核实与免于扣分）"
DASH_EXTERNAL_EMPTY = "没有待处理的外部案件"
DASH_VERIFY = "核查属实"
DASH_VERIFIED = "已核查属实"
DASH_NOT_VERIFIED = "未核实"
DASH_EXEMPT = "免于扣分"
DASH_EXEMPTED = "已免于扣分"
DASH_EXEMPT_TITLE = "确因特殊情况无法整改"
DASH_EXEMPT_HINT = "免于未按期整改的加扣分（只适用于来源为{sources}的案件）。请写明理由，报表中会列出。"
DASH_EXEMPT_REASON = "免于扣分理由"
DASH_SAVED_VERIFY = "已记录：经核查属实"
DASH_SAVED_EXEMPT = "已记录：免于扣分"
DASH_CHANGE_DEADLINE = "调整整改期限"
DASH_DEADLINE_DATE = "新的整改期限（如 2022-06-10）"
DASH_DEADLINE_REASON = "调整原因"
DASH_DEADLINE_HINT = "新的期限不能早于今天。请写明原因，案件记录中会列出。"
DASH_DEADLINE_BAD_DATE = "日期无效：请按 2022-06-10 的格式填写新的整改期限。"
DASH_SAVED_DEADLINE = "整改期限已改为 {date}"
DASH_EARLIER_CASE = "前案"
DASH_NEW_CASE = "新案"
DASH_CASE_TITLE = "案件详情"
DASH_CASE_SOURCE = "来源：{source}"
DASH_CASE_NOTE = "描述"
DASH_CASE_PHOTOS_BEFORE = "整改前照片"
DASH_CASE_PHOTOS_AFTER = "整改后照片"
DASH_CASE_NO_PHOTOS = "没有照片"
DASH_CASE_PHOTO_MISSING = "照片尚未同步到办事处"
DASH_CASE_ID = "案件编号 {id}"
DASH_CASE_EXEMPT_REASON = "免于扣分理由：{reason}"
DASH_CASE_RECURRENCE = "再次出现（{state}）：前案 {earlier}"
DASH_RECURRENCE_STATES = {"proposed": "待确认", "confirmed": "已确认", "rejected": "已否定"}

# --- 录入 ---------------------------------------------------------------------------------
DASH_ENTRY_TITLE = "录入"
DASH_ENTRY_SUPERIOR = "上级考核月度得分"
DASH_ENTRY_SUPERIOR_HINT = "每格一个月的分数（0–100），没有的月份留空。改过的格子保存后生效，以最后一次为准。"
DASH_ENTRY_CELL = "{community} {month}月"
DASH_ENTRY_OFFICE = "本办考核"
DASH_ENTRY_BONUS = "加分"
DASH_ENTRY_SURVEY = "满意度调查（纸质问卷汇总）"
DASH_ENTRY_CASE = "外部案件（上级批示转办、媒体曝光、群众反映、区整治办发现等）"
DASH_ENTRY_FUND = "奖惩基金名单"
DASH_ENTRY_FUND_HINT = "每个角色填写姓名，用顿号或逗号分开；保存后替换原名单。"
DASH_ENTRY_ROLE = "{role}（{deposit} 元/人）"
DASH_ENTRY_IMPORT = "导入文件"
DASH_ENTRY_IMPORT_HINT = ("上级考核或满意度模板（.xlsx）：先全部检查，有一处错误就不导入任何记录。"
                          "手机导出的数据文件（.zip）：与联网同步一样导入，重复导入不会重复记录。")
DASH_CHOOSE_FILE = "选择文件并导入"
DASH_IMPORTING = "正在检查并导入…"
DASH_IMPORT_ERRORS = "{file}：{n} 处错误，未导入任何记录"
DASH_IMPORT_OK = "{file}：已导入 {what}"
DASH_IMPORT_ALREADY = "（其中 {n} 项以前已导入过，没有重复记分）"
#: what an import brought, by kind ("4 个上级考核月度得分、2 次满意度调查汇总")
DASH_IMPORT_WHAT = {"score.superior": "{n} 个上级考核月度得分", "survey.tallied": "{n} 次满意度调查汇总",
                    "score.office": "{n} 次本办考核", "bonus.awarded": "{n} 项加分", "case.registered": "{n} 个外部案件"}
DASH_IMPORT_OTHER = "{n} 项案件处理记录"
DASH_IMPORT_WHERE = "位置"
DASH_IMPORT_WHY = "原因"
DASH_FIELD_COMMUNITY = "社区"
DASH_FIELD_DATE = "日期（如 2022-06-01）"
DASH_FIELD_SCORE = "得分（0–100）"
DASH_FIELD_CODE = "加分项"
DASH_FIELD_DESCRIPTION = "事由"
DASH_FIELD_NOTE = "备注（选填）"
DASH_FIELD_CASE_REF = "案件编号（如 2022-A-003）"
DASH_FIELD_CATEGORY = "问题类别"
DASH_FIELD_SOURCE = "来源"
DASH_FIELD_FOUND = "发现日期（如 2022-06-01）"
DASH_FIELD_DEADLINE = "整改期限（选填，默认按来源）"
DASH_FIELD_PLACE = "地点"
DASH_FIELD_CASE_NOTE = "问题描述"
DASH_FIELD_VERIFIED = "已核查属实"
DASH_SAVE = "保存"
DASH_SAVE_SCORES = "保存得分"
DASH_SAVED_WHAT = "已保存：{what}"
DASH_SAVED_MONTH_SCORES = "已保存 {n} 个月度得分"
DASH_ENTRY_READ_ONLY = "只读账户：这里只能查看，不能录入或修改。"
DASH_SAVED_NONE = "没有改动"
DASH_ALREADY = "这一项以前已录入过，没有重复记分"
DASH_CONFLICT = "这个案件编号已录入过，内容不同：没有保存"
DASH_REFUSED_READ_ONLY = "只读账户不能录入或修改：没有保存。"
DASH_REFUSED_SESSION = "登录已过期或账户已停用：没有保存，请重新登录。"
DASH_ERROR = "没有保存：{detail}"

# --- 奖惩基金 -------------------------------------------------------------------------------
DASH_FUND_TITLE = "奖惩基金"
DASH_FUND_NONE = "尚未录入奖惩基金名单：请在“录入”中填写。"
DASH_FUND_COL_ROLE = "角色"
DASH_FUND_COL_DEPOSIT = "每人（元）"
DASH_FUND_COL_PEOPLE = "人数"
DASH_FUND_COL_AMOUNT = "金额（元）"
DASH_FUND_COL_NAMES = "姓名"
DASH_FUND_DEPOSITS = "责任金合计"
DASH_FUND_MATCH = "办事处匹配（1:{ratio}）"
DASH_FUND_TOTAL = "基金总额"
DASH_FUND_YUAN = "{n} 元"
DASH_FUND_RANKING = "兑现所依据的排名"
DASH_FUND_RANKING_HINT = "这里列出基金总额和兑现所依据的年终排名；具体怎样奖惩，按办事处的奖惩办法执行。"

# --- 督办 (fieldapp/office/dashboard/supervision.py) --------------------------------------------
DASH_NAV_SUPERVISION = "督办"
DASH_SUP_TITLE = "督办"
DASH_SUP_HINT = "逾期和{days}天内到期的案件，等待复查超过{recheck_days}天的整改反馈，待答复的免责申请。每行的“查看案件”打开案件。"
DASH_SUP_EXEMPTIONS = "免责申请（待答复）"
DASH_SUP_EXEMPTIONS_EMPTY = "没有待答复的免责申请"
DASH_SUP_REQUEST = "申请理由：{reason}"
DASH_SUP_REQUEST_BY = "{who} {time} 申请"
DASH_SUP_ANSWER = "答复理由"
DASH_SUP_ANSWER_HINT = "同意：按免于扣分记录，理由不填时用社区的申请理由。不同意：请写明理由，社区会看到。"
DASH_SUP_GRANT = "同意免责"
DASH_SUP_REFUSE = "不同意"
DASH_SUP_GRANTED = "已同意免责：{case}"
DASH_SUP_REFUSED = "已答复不同意免责：{case}"
DASH_SUP_RECHECKS = "超时未复查的整改反馈（等待超过{days}天）"
DASH_SUP_RECHECKS_EMPTY = "没有等待复查超过{days}天的整改反馈"
DASH_SUP_INSPECTOR = "{name}：{n} 件待复查"
DASH_SUP_WAITING = "{date}反馈整改，已等待 {days} 天"
DASH_SUP_COMMUNITIES = "各社区逾期和即将到期的案件"
DASH_SUP_COMMUNITY_LINE = "逾期 {overdue} 件，{days}天内到期 {due} 件"
DASH_SUP_COMMUNITY_EMPTY = "没有逾期或{days}天内到期的案件"
DASH_SUP_MORE = "另有 {n} 件未列出，见督办通知单"
DASH_SUP_NOTICE_PDF = "督办通知单 PDF"
DASH_SUP_NOTICE_XLSX = "督办通知单 Excel"
DASH_COL_PROGRESS = "复查与反馈"

# --- the office's PDFs (fieldapp/office/pdf.py) and the 督办通知单 (fieldapp/office/notice*.py) -----
PDF_CREATOR = DASH_TITLE
PDF_DATE_LINE = "日期：{date}"
PDF_PAGE = "第 {page} 页，共 {pages} 页"
NOTICE_TITLE = "督办通知单"
NOTICE_TO = "致：{community}"
NOTICE_INTRO = ("经查，贵社区下列问题已逾期或将在{days}天内到期。请抓紧整改到位，整改后在手机上报告“已整改”并附整改后照片；"
                "确因特殊情况无法整改的，请申请免责并写明理由。期限过后仍未整改到位的，按考核方案加扣分。")
NOTICE_SUMMARY = "逾期 {overdue} 件，{days}天内到期 {due} 件。"
NOTICE_NOTHING = "目前没有逾期或{days}天内到期的案件。"
NOTICE_HEAD = ("序号", "整改前照片", "问题类别", "地点与描述", "整改期限", "时限", "复查与反馈")
NOTICE_XLSX_HEAD = ("序号", "问题类别", "来源", "地点", "问题描述", "整改期限", "时限", "复查与反馈", "整改前照片")
NOTICE_SOURCE = "来源：{source}"
NOTICE_NO_PHOTO = "照片尚未同步到办事处"
NOTICE_PHOTO_NONE = "无照片"
NOTICE_REPORTED = "社区已于{date}反馈整改，待复查"
NOTICE_CHECK_FAILED = "复查未通过：{reason}"
NOTICE_CHECK_FAILED_PLAIN = "复查未通过"
NOTICE_EXEMPTION_REQUESTED = "已申请免责，待办事处答复"
NOTICE_EXEMPTION_REFUSED = "免责申请未获同意"
NOTICE_NO_PROGRESS = "—"
NOTICE_CLOSING = "请在整改期限内整改到位。特此通知。"
NOTICE_FILE = "督办通知单-{community}-{day}.{ext}"
CLI_NOTICE_WRITTEN = "{community}督办通知单已写入 {path}：{summary}"
CLI_NOTICE_NO_COMMUNITY = "没有社区 {code}：本年度的社区是 {codes}"
CLI_NOTICE_BAD_FORMAT = "不支持的格式 {suffix}：请用 pdf 或 xlsx"

# --- the report workbook and table (fieldapp/office/report.py): fixed words and headers ---------
REPORT_SHEET_RANKING = "排名"
REPORT_SHEET_FUND = "奖惩基金"
REPORT_SHEET_NOTES = "说明"
REPORT_TABLE_HEAD = ("名次", "社区", "上级考核", "本办考核", "群众满意度", "综合得分", "扣分", "加分", "最终得分")
REPORT_RANKING_HEAD = ("名次", "社区", "上级考核", "月数", "本办考核", "次数", "群众满意度", "受访人数",
                       "综合得分", "扣分", "加分", "最终得分", "并列")
REPORT_SUMMARY_HEAD = ("项目", "得分", "依据", "权重")
REPORT_ITEMS_HEAD = ("类别", "分值", "规则", "说明", "日期", "整改期限", "案件/事件", "地点/内容", "登记人", "完整 ID",
                     "证据存疑")
REPORT_NOTES_HEAD = ("说明",)
REPORT_FUND_HEAD = ("角色", "每人（元）", "人数", "金额（元）", "姓名")
REPORT_READINGS_HEAD = ("本报告所依据的规则解读",)
REPORT_OTHER_NOTES_HEAD = ("其他说明",)
#: a deduction's part (rule "A.base" / "A.further")
REPORT_SOURCE_WORDS = {"base": "基础扣分", "further": "逾期或整改不到位加扣"}
#: why a line item applies (fieldapp.domain.scoring R_*)
REPORT_REASON_WORDS = {
    "verified": "经核查属实",
    "registered": "登记即计",
    "not_rectified": "期限已过，未整改到位",
    "rectified_late": "逾期整改",
    "recurrence": "同一问题再次出现",
    "awarded": "加分",
}
REPORT_COMPONENT_WORDS = {"superior": "上级考核", "office": "本办考核", "satisfaction": "群众满意度"}
REPORT_TIED_YES = "是"  # the 并列 column of a tied community
REPORT_SUBTITLE = "{year} 年度社区考核排名，评分日 {day}（北京时间，截至当日 24 时）"
REPORT_CASE_REF = "案件 {id}"
REPORT_CASE_REF_LABELLED = "{ref}（{label}）"
REPORT_EVENT_REF = "事件 {id}"

# --- the report: sentences with values (fieldapp/office/report.py) -------------------------------
#: a line item's rule: its source by name, and base or further ("办事处检查发现（基础扣分）")
REPORT_RULE = "{source}（{part}）"
#: a line item's reason, where the plain REPORT_REASON_WORDS are not enough
REPORT_RECTIFIED_LATE = "期限 {deadline}，{day} 才整改到位"
REPORT_NOT_RECTIFIED = "期限 {deadline} 已过，未整改到位"
REPORT_RECURRENCE_OF = "同一问题再次出现，前案 {earlier}"
#: Notes (fieldapp.domain.scoring N_* codes) -> text. Fields: {case} (REPORT_CASE_REF or ""), {detail};
#: {component} (REPORT_COMPONENT_WORDS of it), {months} (a list), {month}/{times} and {community}/{n}
#: (the two sides of "2022-03×2", "C9×3"), {earlier} (short id), {links} (how many ids),
#: {rank}/{names} (of "2: C2,C3").
REPORT_NOTE_TEXTS = {
    "no_data": "{component}没有数据，按 0 分计",
    "months_missing": "上级考核缺少月份：{months}（按已有月份平均）",
    "month_reentered": "上级考核 {month} 录入了 {times} 次，以最后一次为准",
    "after_evaluation": "{detail} 条记录日期在评分日之后，未计入",
    "pending": "{case}：整改期限 {detail} 未到，暂不加扣",
    "awaiting_recheck": "{case}：社区已于 {reported} 反馈整改，待复查（已等待 {age} 天），暂不加扣",
    "exempted": "{case}：确因特殊情况无法整改，免于加扣（理由：{detail}）",
    "exemption_ignored": "{case}：{detail} 类案件不适用免于加扣，已忽略",
    "unverified": "{case}：{detail} 类案件尚未核实，不计分",
    "voided": "{case}：已作废，不计分（理由：{detail}）",
    "recurrence_of_voided": "{case}：所认定的前案 {earlier} 已作废，不按再次出现扣分",
    "recurrence_links": "{case}：同时被认定为 {links} 个旧案的再次出现，只扣一次",
    "unknown_source": "{case}：未知案件类别 {detail}，不计分",
    "unknown_community": "有记录属于规则中没有的社区 {community}（{n} 条），未计入",
    "orphan_events": "{detail} 个案件只有后续记录、缺少登记记录（可能尚未同步），未计入",
    "tie": "得分相同、名次并列：第 {rank} 名 {names}",
    "no_fund_roster": "尚未录入奖惩基金名单",
    "unknown_fund_role": "奖惩基金名单中有规则中没有的角色 {detail}，未计入",
    "evidence": "{case}：证据存疑（{marks}），请核实",
}
#: per-case notes counted in the text table: "{kind}的案件 {n} 件"
REPORT_NOTE_KINDS = {
    "pending": "期限未到、暂不加扣",
    "awaiting_recheck": "已反馈整改、待复查",
    "unverified": "尚未核实、不计分",
    "exempted": "免于加扣",
    "voided": "已作废",
    "exemption_ignored": "免于加扣不适用、已忽略",
    "recurrence_of_voided": "前案已作废、不按再次出现扣分",
    "recurrence_links": "多个前案、只扣一次",
    "unknown_source": "未知案件类别",
    "evidence": "证据存疑",
}
REPORT_CASES_OF_KIND = "{kind}的案件 {n} 件"
# the text table (`fieldapp office score`)
REPORT_TABLE_ITEMS = "{name}: 扣分 {deductions} 项 {deduction_total}，加分 {bonuses} 项 {bonus_total}"
REPORT_TABLE_FUND = "奖惩基金：责任金 {deposits} 元 + 办事处匹配 {match} 元 = {total} 元"
REPORT_TABLE_MORE = "明细：--xlsx 导出报表（每个社区一张表），或 --json。"
# a community's sheet: its title line, then rows of REPORT_SUMMARY_HEAD (项目, 得分, 依据, 权重)
REPORT_COMMUNITY_LINE = "{name}({code}) 第 {rank} 名{tied}  最终得分 {final}"
REPORT_TIED_MARK = "（并列）"
REPORT_SUPERIOR_BASIS = "{n} 个月的平均分"
REPORT_SUPERIOR_MISSING = "；缺 {months}"
REPORT_OFFICE_BASIS = "{n} 次考核的平均分"
REPORT_SATISFACTION_BASIS = "{n} 人受访，{satisfied} 人满意或基本满意"
REPORT_COMPOSITE_BASIS = "上级×40% + 本办×20% + 满意度×40%"
REPORT_DEDUCTION_TOTAL = "扣分合计"
REPORT_BONUS_TOTAL = "加分合计"
REPORT_ITEMS_BASIS = "{n} 项，见下表"
REPORT_FINAL_BASIS = "综合得分 + 扣分合计 + 加分合计"
# the fund sheet (its other rows: DASH_FUND_DEPOSITS, DASH_FUND_TOTAL)
REPORT_FUND_MATCH = "办事处匹配（1:{ratio}）"
# the notes sheet
REPORT_GENERATED = "生成时间 {now}；评分时刻 {at}"
#: The readings the scores rest on (assessment-rules.md, docs/scoring.md): shown in every report.
REPORT_READINGS = (
    "综合得分 = 上级考核×40% + 本办考核×20% + 群众满意度×40%；最终得分 = 综合得分 - 扣分 + 加分，不设上限和下限。",
    "上级考核取有分数的月份的平均分，本办考核取各次考核的平均分；缺少的月份在报告中列出。",
    "群众满意度 = 答“满意”或“基本满意”的人数 ÷ 受访总人数 × 100（手机问卷与纸质汇总合计）。",
    "某一项没有任何数据时按 0 分计入综合得分，并在说明中标出（方案对此没有规定）。",
    "A、B、E 类案件经核查属实后才扣分，未核实的不计分并列出；C、D 类登记即计。",
    "整改期限以当地时间（北京时间）期限当天 24 时为止：期限前有一次复查“整改到位”即为按期整改，"
    "之前的“未整改到位”不影响；期限过后仍无“整改到位”的，加扣一次（不按天累计）。",
    "案件计入其登记（发现）时间所在的年度；期限在评分日之后的案件暂不加扣，列为“期限未到”。",
    "A、B 类案件确因特殊情况无法整改、经办事处标记免于加扣的，只扣基础分，并列出理由。",
    "作废的案件不计分。经办事处确认的“同一问题再次出现”每次扣 2 分，另按该案件本身的类别计分；"
    "一个案件同时被认定为多个旧案的再次出现时，只算一次；旧案已作废的不扣。",
    "加分按事件计：中央媒体/全国表彰 +5，省级 +3，市级 +1；省领导/省整治办表扬 +3，市级 +2，区级 +1。",
    "最终得分保留两位小数（四舍五入）后排名；得分相同者名次相同（如 1、2、2、4）。",
    "评分日之后日期的记录（月份、考核、问卷、加分）不计入，并在说明中注明条数。",
)

# =====================================================================================
# Office records: import files and the dashboard's forms (fieldapp/office/records.py,
# fieldapp/office/imports.py) and the office command line (fieldapp/commands/office_records.py).
# They name a field by its label (the dashboard's form label, the template's header), never by
# the file's key: the keys are in docs/import-format.md beside these labels.
# =====================================================================================

# --- office records: import/entry errors (records.py) --------------------------------------------
#: the record fields' labels ({field} in the messages below); RECORD_FIELDS_OF: where a kind says it otherwise
RECORD_FIELDS = {
    "record": "记录类型", "community": "社区", "month": "月份", "score": "得分", "date": "日期",
    "code": "加分项", "description": "事由", "note": "备注", "case": "案件编号", "case_id": "案件 ID",
    "category": "问题类别", "source": "来源", "place": "地点", "position": "位置", "found": "发现日期",
    "deadline": "整改期限", "verified": "已核查属实", "verified_note": "核查说明", "exempted": "免于扣分理由",
    "rechecks": "复查记录", "voided": "作废理由", "reason": "理由", "at": "时间", "outcome": "复查结果",
    "earlier": "前案编号", "earlier_case_id": "前案 ID", "decision": "认定", "counts": "各答案人数",
    "year": "年度", "roster": "奖惩基金名单",
}  # fmt: skip
RECORD_FIELDS_OF = {"external_case": {"description": "问题描述"}}
RECORD_COUNT_FIELD = "{answer}人数"  # a survey answer's count ("满意人数")
RECORD_ROLE_FIELD = "{role}名单"  # a fund role's names
RECORD_SEPARATOR = "；"  # between the faults of one record
RECORD_VALUE_EMPTY = "空的"  # what was given, when nothing was
RECORD_VALUE = "“{value}”"  # what was given
# Each error begins with the field's label ("得分：…"); {value} is what was given, quoted.
RECORD_REQUIRED = "{field}：不能为空"
RECORD_NOT_TEXT = "{field}：应为文字，却是{value}"
RECORD_TOO_LONG = "{field}：超过 {limit} 个字"
RECORD_NOT_NUMBER = "{field}：应为数字，却是{value}"
RECORD_OUT_OF_RANGE = "{field}：{value:g} 不在 {low:g}–{high:g} 之间"
RECORD_NOT_COUNT = "{field}：应为不小于 0 的整数，却是{value}"
RECORD_NOT_DATE = "{field}：应为日期（如 2022-06-01），却是{value}"
RECORD_NOT_TIME = "{field}：应为日期或时间（如 2022-06-10 或 2022-06-10 15:30），却是{value}"
RECORD_NOT_MONTH = "{field}：应为月份（如 2022-06），却是{value}"
RECORD_NOT_FLAG = "{field}：应为 true（是）或 false（否），却是{value}"
RECORD_NOT_ONE_OF = "{field}：应为 {choices} 之一，却是{value}"
RECORD_NOT_OBJECT = "这一行不是一条记录：应为一个 JSON 对象（{{…}}）"
RECORD_UNKNOWN_KIND = "{field}：未知的记录类型{value}，应为 {kinds} 之一"
RECORD_UNKNOWN_FIELD = "多余的一项{value}：这种记录（{record}）没有这一项（可用：{fields}）"
RECORD_UNKNOWN_COMMUNITY = "{field}：没有这个社区{value}，应为 {known}"
RECORD_UNKNOWN_CATEGORY = "{field}：没有这个问题类别{value}，应为规则中的类别名称或代码（如 Z1、L3）"
RECORD_UNKNOWN_SOURCE = "{field}：没有这个来源{value}，应为 {choices}"
RECORD_UNKNOWN_BONUS = "{field}：没有这个加分项{value}，应为 {choices}"
#: a source or bonus among the choices: its code (what a file says) and its name from the rules
RECORD_CHOICE = "{code}（{name}）"
# cases: named by the office's reference ("case": "2022-A-003") or by an id
RECORD_REF_AND_ID = "{field}：案件编号和案件 ID 只能填一个"
RECORD_NOT_CASE_REF = "{field}：应为案件编号（文字），却是{value}"
RECORD_NOT_UUID = "{field}：应为案件 ID（小写的 UUID），却是{value}"
RECORD_NO_CASE = "{field}：需要案件编号（或案件 ID）"
RECORD_CASE_UNKNOWN = "{field}：找不到案件{value}（既不在本次导入中，也不在办事处的数据中）"
RECORD_FOUND_IN_FUTURE = "{field}：{day}在将来"
RECORD_DEADLINE_BEFORE_FOUND = "{field}：{deadline}早于发现日期{found}"
RECORD_VERIFIED_NOTE_ALONE = "{field}：只有已核查属实时才能填写"
RECORD_NOT_POSITION = '{field}：应为纬度和经度，如 {{"lat": 34.26, "lon": 108.95}}'
RECORD_NOT_EXEMPTIBLE = "{field}：来源为“{source}”的案件不能免于加扣（只有{exemptible}的可以）"
RECORD_SELF_RECURRENCE = "{field}：一个案件不能是它自己的再次出现"
RECORD_EVENT_INVALID = "这条记录的内容不合规则，没有保存：请检查各项。"
#: an external case's description as stored, with the office's reference
RECORD_CASE_NOTE = "{description}(案件编号 {ref})"
# re-checks
RECORD_RECHECKS_NOT_LIST = "{field}：应为复查记录的列表"
RECORD_IN_RECHECK = "第{n}条复查记录的{message}"  # a fault of one re-check of an external case
RECORD_RECHECK_NOT_OBJECT = '第{n}条复查记录：应为 {{"at": …, "outcome": …}}'
RECORD_RECHECK_UNKNOWN_FIELD = "第{n}条复查记录：没有{value}这一项（可用：at, outcome, note）"
RECORD_TIME_BEFORE_FOUND = "{what}时间：{day}早于发现日期{found}"
RECORD_TIME_IN_FUTURE = "{what}时间：{day}在将来"
RECORD_WHAT_RECHECK = "复查"
RECORD_WHAT_REPORT = "整改反馈"
RECORD_NOT_OUTCOME = "{field}：应为 {words}（或 {outcomes}），却是{value}"
# survey tallies and the fund roster
RECORD_COUNTS_NOT_MAP = '{field}：应为各答案的人数，如 {{"满意": 120, "基本满意": 30, "不满意": 10}}，却是{value}'
RECORD_UNKNOWN_ANSWER = "{field}：没有这个答案{value}，应为 {answers}"
RECORD_NO_RESPONDENTS = "{field}：没有填写人数"
RECORD_NOT_YEAR = "{field}：应为年度，如 {year}，却是{value}"
RECORD_NOT_ROSTER = '{field}：应为各角色的姓名，如 {{"办事处书记": ["王某"]}}'
RECORD_UNKNOWN_ROLE = "{field}：没有这个角色{value}，应为 {known}"
RECORD_NOT_NAMES = "{field}：应为姓名（用顿号或逗号分开）"

# --- office records: reading files, all or nothing (imports.py) ----------------------------------
IMPORT_LINE = "第{n}行"  # where a JSON line or a spreadsheet row is
IMPORT_CELL = "第{row}行{column}列"  # where a spreadsheet cell is (C4)
IMPORT_SHEET_ROW = "“{sheet}”表第{row}行"  # a sheet's header row
IMPORT_FILE = "文件"  # where a problem of the whole file is
IMPORT_NOT_XLSX = "无法作为 .xlsx 打开：{detail}"
IMPORT_BAD_TYPE = "不支持的文件类型 {suffix}：应为 .jsonl 或 .xlsx"
IMPORT_NO_SUFFIX = "（无扩展名）"
IMPORT_UNKNOWN_HEADER = "不认识的表头：应为上级考核（1月…12月）或满意度（满意、基本满意、不满意）"
IMPORT_NO_HEADER = "没有找到以“{first}”开头的表头行：请用“下载模板”得到的表格填写"
IMPORT_NO_YEAR = "缺少年度（在“{label}”右边的格子填写，如 {year}）"
IMPORT_BAD_YEAR = "年度应为四位数年份，却是 {value!r}"
IMPORT_NO_COMMUNITY = "缺少社区"
IMPORT_NO_DATE_COLUMN = "表头缺少“{label}”列"
IMPORT_NO_SURVEY_DATE = "缺少调查日期"
IMPORT_DUPLICATE_CASE = "案件编号：与{where}的案件编号重复"
IMPORT_DUPLICATE_RECORD = "与{where}的记录完全相同；如确是两次，请在备注/说明中区分"
IMPORT_CASE_CHANGED = "案件编号：这个案件已导入过，内容不同；已导入的内容不会被改写，请用调整整改期限、作废等记录更正"
IMPORT_CONFLICT = "与同时写入的记录冲突"
# the summary (`fieldapp office import`)
IMPORT_SUMMARY_FAILED = "{file}: {n} 处错误，未导入任何记录："
IMPORT_SUMMARY = "{file}: {done} {records} 条记录，新增事件 {new} 个，已存在 {already} 个"
IMPORT_DONE = "已导入"
IMPORT_CHECKED = "检查通过（未导入）"
# the templates (`fieldapp office template`); their month headers are DASH_MONTH, the instructions
# sheet is REPORT_SHEET_NOTES, the superior sheet DASH_COL_SUPERIOR
IMPORT_TEMPLATE_SUPERIOR = "上级考核-{year}.xlsx"
IMPORT_TEMPLATE_TALLY = "满意度调查-{year}.xlsx"
IMPORT_SHEET_TALLY = "满意度"
IMPORT_HEAD_YEAR = "年度"
IMPORT_HOW = "填好后，在考核工作台“录入”中点“导入文件”，选择本文件。"
IMPORT_SUPERIOR_HELP = (
    "上级考核月度得分（{year} 年）：每个社区每月一个分数（0–100），没有的月份留空。",
    "社区一栏可填社区名称或代码（如 C1）。重复导入同一文件不会重复记分；某月改分后再导入，以后导入的为准。",
    IMPORT_HOW,
)
IMPORT_TALLY_HELP = (
    "纸质问卷汇总：每次汇总一行，填社区、调查日期（如 2022-11-20）和各答案的人数。",
    "计为满意的答案：{satisfied}。",
    "同一社区可有多行（多次调查），人数累加。没有填人数的行会被跳过。",
    IMPORT_HOW,
)

# --- the office command line (fieldapp/commands/office_records.py) ---------------------------------
CLI_NO_RULES = "没有 {year} 年度的考核规则：{detail}"
CLI_NO_FILE = "{file}: 文件不存在"
CLI_REPORT_WRITTEN = "报表已写入 {path}"
CLI_RULES_NEW_WRITTEN = "已按 {source} 年度的规则写出 {year} 年度的规则：{path}\n请修改其中与新方案不同之处，再用 fieldapp office rules check 检查；手机下次同步时收到。"
CLI_RULES_NEW_REFUSED = "没有写出 {year} 年度的规则：{detail}"
CLI_RULES_NEW_EXISTS = "{year} 年度的规则已经有了：{path}。要重新复制，请先删除它；否则直接修改它。"
CLI_RULES_BROKEN = "规则文件有错误，未采用：{detail}"
CLI_RULES_OK = "{file}：{year} 年度规则无误（{title}；{communities} 个社区，{categories} 个问题类别）"
CLI_RULES_OWN = "办事处"
CLI_RULES_SHIPPED = "程序自带"

# --- maps: boundaries, tiles, the map views (fieldapp/maps/, docs/maps.md) ------------------------
CLI_BOUNDARIES_REFUSED = "边界文件未导入：{detail}"
CLI_BOUNDARIES_KEPT = "已导入 {n} 个社区的边界（{names}）：{path}\n手机下次同步时收到。"
CLI_TILES_REFUSED = "地图未设置：{detail}"
CLI_TILES_KEPT = "办事处地图：{n} 张 {fmt} 瓦片，{mb:.1f} MB，缩放 {zmin}–{zmax} 级：{path}"
CLI_TILES_NONE = "办事处还没有离线地图（fieldapp office tiles import FILE）：地图只显示案件和社区边界。"
CLI_TILES_ONLINE = "在线地图：{url}（{attribution}；坐标系 {datum}）"
CLI_TILES_ONLINE_OFF = "已取消在线地图。"
OUTSIDE_BOUNDARIES = "不在任何社区边界内"
DASH_NAV_MAP = "地图"
DASH_MAP_TITLE = "案件地图"
DASH_MAP_ALL_CATEGORIES = "全部类别"
DASH_MAP_FROM = "登记自"
DASH_MAP_TO = "至"
DASH_MAP_HOTSPOTS = "热点（复发、重复地点）"
DASH_MAP_OUTSIDE = "边界外 {n} 件"
DASH_MAP_EXPORT_GEOJSON = "导出 GeoJSON"
DASH_MAP_EXPORT_XLSX = "导出 Excel"
DASH_MAP_STATUS_ALL = "全部状态"
DASH_MAP_STATUS = "状态"
DASH_MAP_FILE = "案件地图-{year}.{kind}"
DASH_MAP_SHOWN = "显示 {n} 个案件（{placed} 个有定位）"
EVIDENCE_COLUMN = "证据"


# --- issue 11: the 通报 pack, case lists for others' systems, the scoring's last edges ----------------
# (fieldapp/office/bulletin.py, fieldapp/office/export.py, fieldapp/commands/office_bulletin.py)
#: why a link is not a recurrence (fieldapp.domain.recurrence LINK_FAULTS): the dashboard, imports, report
RECURRENCE_FAULTS = {
    "recurrence_other_community": "两个案件不属于同一社区",
    "recurrence_other_category": "两个案件的问题类别不同",
    "recurrence_not_earlier": "前案不早于本案",
    "recurrence_not_rectified": "前案尚未整改到位",
}
REPORT_NOTE_TEXTS["recurrence_invalid"] = "{case}：所认定的前案 {earlier} 不符合再次出现的条件（{fault}），不按再次出现扣分"
REPORT_NOTE_KINDS["recurrence_invalid"] = "前案不符合条件、不按再次出现扣分"
RECORD_RECURRENCE_INVALID = "{field}：{fault}，不能认定为再次出现（须是同一社区、同一类别、已整改到位的更早案件）"
# a .jsonl that is not UTF-8, and JSON errors in words (imports.py)
IMPORT_NOT_UTF8_LINE = ("不是 UTF-8 编码：从这一行起有无法识别的字符{guess}。请在 Excel 或记事本中“另存为”，"
                        "编码选择 UTF-8，再导入")
IMPORT_LOOKS_GBK = "（看起来是 GBK/GB18030 编码，Excel 中文版的默认）"
IMPORT_NOT_JSON_WHY = "不是有效的 JSON：第 {column} 个字符处{why}"
#: json.JSONDecodeError's messages (their start) in words; anything else: IMPORT_JSON_OTHER
IMPORT_JSON_WORDS = {
    "Expecting property name enclosed in double quotes": "应为用英文双引号括起来的项名",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Expecting value": "缺少值（或用了中文引号、单引号）",
    "Unterminated string": "引号没有结束",
    "Invalid control character": "文字中有换行或制表符等控制字符",
    "Invalid \\escape": "有无效的反斜杠转义",
    "Extra data": "一行之后还有多余的内容（每行只能有一条记录）",
}
IMPORT_JSON_OTHER = "格式有误"

# --- the 通报 (bulletin) PDFs ---------------------------------------------------------------------
BULLETIN_TITLE_YEAR = "{year}年度“整脏治乱”考核通报"
BULLETIN_TITLE_MONTH = "{year}年{month}月“整脏治乱”考核通报"
BULLETIN_COMMUNITY_TITLE = "{community}考核情况"
BULLETIN_EVALUATED = "评分截至 {day} 24 时（北京时间）"
BULLETIN_EVALUATED_MONTH = "排名为截至 {day} 24 时的本年度累计结果"
BULLETIN_RANK_LINE = "第 {rank} 名{tied}，最终得分 {final}"
BULLETIN_VOLUME = "（第 {n} 册，共 {of} 册）"
BULLETIN_SECTION_RANKING = "一、社区排名"
BULLETIN_SECTION_COMPONENTS = "二、三项得分"
BULLETIN_SECTION_CHART = "三、得分对比"
BULLETIN_SECTION_MONTH = "四、本月情况"
BULLETIN_SECTION_FUND = "奖惩基金"
BULLETIN_SECTION_READINGS = "本通报所依据的规则解读"
BULLETIN_SECTION_NOTES = "其他说明"
BULLETIN_SECTION_SUMMARY = "得分构成"
BULLETIN_SECTION_DEDUCTIONS = "扣分明细（{n} 项，合计 {total}）"
BULLETIN_SECTION_BONUSES = "加分明细（{n} 项，合计 {total}）"
BULLETIN_SECTION_MONTH_CASES = "本月登记的案件（{n} 件）"
BULLETIN_NO_DEDUCTIONS = "没有扣分。"
BULLETIN_NO_BONUSES = "没有加分。"
BULLETIN_NO_MONTH_CASES = "本月没有登记案件。"
BULLETIN_RANKING_HEAD = ("名次", "社区", "上级考核", "本办考核", "群众满意度", "综合得分", "扣分", "加分", "最终得分")
BULLETIN_COMPONENTS_HEAD = ("社区", "上级考核", "依据", "本办考核", "依据", "群众满意度", "依据")
BULLETIN_MONTH_HEAD = ("社区", "本月上级考核", "本月登记", "已整改", "逾期未整改", "待整改", "已作废")
BULLETIN_MONTH_CASES_HEAD = ("案件", "问题类别", "来源", "地点", "发现", "整改期限", "目前状态")
BULLETIN_FUND_HEAD = ("角色", "每人（元）", "人数", "金额（元）")
BULLETIN_CHART_LEGEND = ("上级考核", "本办考核", "群众满意度", "最终得分")
BULLETIN_NO_SCORE = "未评"
BULLETIN_FUND_NONE = "尚未录入奖惩基金名单。"
BULLETIN_FUND_TOTALS = "责任金 {deposits} 元，办事处匹配 {match} 元，合计 {total} 元。"
BULLETIN_COMMUNITY_FILES = "各社区的扣分、加分明细及照片证据见各社区的通报附件。"
# one line item and its case's evidence
BULLETIN_POINTS = "{points} 分"
BULLETIN_CASE_FACTS = "问题类别：{category}；来源：{source}；地点：{place}"
BULLETIN_CASE_DATES = "发现：{found}；整改期限：{deadline}；登记人：{by}"
BULLETIN_RECTIFIED = "整改到位：{day}（{timely}）"
BULLETIN_ON_TIME = "按期"
BULLETIN_LATE = "逾期"
BULLETIN_NOT_RECTIFIED = "尚未整改到位"
BULLETIN_VOIDED = "已作废：{reason}"
BULLETIN_CHECKS = "复查：{checks}"
BULLETIN_CHECK = "{day} {outcome}{note}"
BULLETIN_NO_CHECKS = "复查：尚无"
BULLETIN_REPORTS = "社区整改反馈：{reports}"
BULLETIN_EXEMPTED = "免于加扣，理由：{reason}"
BULLETIN_EXEMPTION_ASKED = "社区申请免责：{reason}"
BULLETIN_EXEMPTION_REFUSED = "免责申请未获同意：{reason}"
BULLETIN_RECURRENCE = "再次出现：前案 {ref}，{category}，{place}，发现于 {found}，{rectified}"
BULLETIN_RECURRENCE_UNKNOWN = "再次出现：前案 {ref}（办事处没有该案件的记录）"
BULLETIN_MARKS = "证据存疑：{marks}"
BULLETIN_PHOTO_BEFORE = "整改前"
BULLETIN_PHOTO_AFTER = "整改后"
BULLETIN_PHOTO_EARLIER_BEFORE = "前案整改前"
BULLETIN_PHOTO_EARLIER_AFTER = "前案整改后"
BULLETIN_PHOTO_MISSING = "照片未同步"
BULLETIN_NO_PHOTOS = "没有照片。"
BULLETIN_BONUS_LINE = "{date}：{description}"
BULLETIN_CLOSING = "特此通报。"
BULLETIN_PERIOD_YEAR = "{year}年度"
BULLETIN_PERIOD_MONTH = "{year}年{month}月"
BULLETIN_FILE_MAIN = "通报-{period}.pdf"
BULLETIN_FILE_COMMUNITY = "通报-{period}-{community}{volume}.pdf"
BULLETIN_FILE_VOLUME = "-第{n}册"
BULLETIN_PACK_FILE = "通报-{period}.zip"
BULLETIN_MONTH_STATUS_NOTE = "案件状态为通报生成当日的状态。"
CLI_BULLETIN_WRITTEN = "已写出 {n} 个文件到 {dir}："
CLI_BULLETIN_BAD_MONTH = "月份应为 {year} 年的月份，如 {year}-06，却是“{value}”"
CLI_BULLETIN_MONTH_AND_AS_OF = "--month 和 --as-of 只能用一个"
DASH_BULLETIN = "下载通报"
DASH_BULLETIN_MONTH = "月份"
DASH_BULLETIN_WHOLE_YEAR = "全年"

# --- case lists for others' systems (export.py) ----------------------------------------------------
EXPORT_HEAD = ("案件编号", "案件 ID", "社区", "问题类别", "来源", "地点", "问题描述", "纬度", "经度", "发现时间",
               "整改期限", "状态", "整改到位时间", "是否按期", "登记人", "证据存疑", "整改前照片", "整改后照片")
EXPORT_SHEET = "案件"
EXPORT_YES = "是"
EXPORT_NO = "否"
EXPORT_STATUS = {
    "open": "待整改", "due_soon": "即将到期", "due_today": "今日到期", "overdue": "已逾期",
    "rectified_on_time": "按期整改", "rectified_late": "逾期整改", "voided": "已作废",
}
EXPORT_FILE = "案件清单-{year}{community}{status}.{ext}"
CLI_EXPORT_WRITTEN = "已导出 {n} 个案件到 {path}"
CLI_EXPORT_BAD_STATUS = "没有这个状态“{value}”，应为 {choices}"
DASH_EXPORT_CASES = "导出案件清单"
DASH_EXPORT_CASES_HINT = "按当前筛选（社区、状态）导出本年度的案件：Excel、CSV（UTF-8）或 GeoJSON（地图软件）。"
EXPORT_STATUS_FILTERS = {"open_all": "未办结", "rectified": "已整改", "all": "全部"}
CLI_EXPORT_BAD_FORMAT = "不支持的格式 {suffix}：请用 xlsx、csv 或 geojson"
# The dashboard's 绑定手机 (fieldapp/office/dashboard/enrol_view.py) and `fieldapp office enrol`
DASH_ENROL = "绑定手机"
DASH_ENROL_HINT = "为巡查人员或社区工作人员的手机生成一次性绑定码：用手机“同步”页的“扫描绑定二维码”拍摄，24小时内有效，只能用一次。"
DASH_ENROL_NAME = "人员编号"
DASH_ENROL_COMMUNITIES = "社区"
DASH_ENROL_ROLE = "身份"
DASH_ENROL_ROLES = {"inspector": "巡查人员", "community": "社区工作人员"}
DASH_ENROL_MAKE = "生成绑定二维码"
DASH_ENROL_CODE = "绑定码 {code}（{expires} 前有效）"
DASH_ENROL_FINGERPRINT = "证书指纹 {fingerprint}"
DASH_ENROL_NO_COMMUNITY = "请至少选择一个社区。"
DASH_ENROL_ADMIN_ONLY = "只有管理员可以绑定手机。"
DASH_ENROL_PLAIN_HTTP = "办事处以不加密的 HTTP 运行（--insecure-http）：二维码里没有证书指纹，只能用于测试。"
# Logins (fieldapp/office/users.py): a growing wait instead of a lock-out
DASH_LOGIN_WAIT = "登录失败次数过多：请 {seconds} 秒后再试。"
