/*
 * check_rules: the rules of `site-gen check`, one row each — the enum name
 * (SG_RULE_<name>, what sg_check_emit takes), the id findings carry and
 * allow: lists name, the severity in build, the severity in check and
 * publish, and what the rule finds.  A new rule is a row here and the
 * sg_check_emit calls of its module; an id that is not a row does not
 * compile.
 */
#ifndef SG_CHECK_RULES_H
#define SG_CHECK_RULES_H

#define SG_CHECK_RULES(R) \
	R(IMAGE_MISSING, "image-missing", SG_WARNING, SG_ERROR, \
	    "a figure's image file is missing") \
	R(CASE_SEQUENCE, "case-sequence", SG_WARNING, SG_ERROR, \
	    "case numbers skip a number or are out of order") \
	R(CORE_EMPTY, "core-empty", SG_WARNING, SG_ERROR, \
	    "a core (*) indicator is not filled in") \
	R(UNIT, "unit", SG_WARNING, SG_ERROR, \
	    "an indicator's unit contradicts the template") \
	R(PRIVACY_IDCARD, "privacy-idcard", SG_ERROR, SG_ERROR, \
	    "a mainland resident ID-card number") \
	R(PRIVACY_MOBILE, "privacy-mobile", SG_ERROR, SG_ERROR, \
	    "a mobile phone number") \
	R(PRIVACY_EMAIL, "privacy-email", SG_WARNING, SG_WARNING, \
	    "an email address that is not the school's") \
	R(OUTLINE, "outline", SG_WARNING, SG_WARNING, \
	    "a chapter of the template's outline is missing (内容框架的完整性)") \
	R(TABLE_MISSING, "table-missing", SG_WARNING, SG_WARNING, \
	    "a table the template requires is missing") \
	R(TABLE_EMPTY, "table-empty", SG_WARNING, SG_WARNING, \
	    "a table the template requires has nothing filled in") \
	R(SERIAL, "serial", SG_WARNING, SG_WARNING, \
	    "序号 does not follow the template") \
	R(RANGE, "range", SG_WARNING, SG_WARNING, \
	    "a value outside what it can be (a % outside 0–100, a negative)") \
	R(PLAUSIBLE, "plausible", SG_WARNING, SG_WARNING, \
	    "a per-student or per-capita value far off the plausible range") \
	R(PART_EXCEEDS, "part-exceeds", SG_WARNING, SG_WARNING, \
	    "a part (其中) is more than its whole") \
	R(TOTAL_SUM, "total-sum", SG_WARNING, SG_WARNING, \
	    "parts do not add up to their total") \
	R(CHANGE, "change", SG_WARNING, SG_WARNING, \
	    "a value changed from last year by more than the template allows") \
	R(RESTATED, "restated", SG_WARNING, SG_WARNING, \
	    "a past year's figure differs from what that year's report said") \
	R(AGREE, "agree", SG_WARNING, SG_WARNING, \
	    "a figure stated differently in two places of the report") \
	R(RATIO, "ratio", SG_WARNING, SG_WARNING, \
	    "a stated ratio differs from the counts it comes from") \
	R(AT_MOST, "at-most", SG_WARNING, SG_WARNING, \
	    "a count is more than the count that bounds it") \
	R(TABLE_SUM, "table-sum", SG_WARNING, SG_WARNING, \
	    "a narrative table's row or total does not add up") \
	/* The reviewer's reading (check_review.c and its check_*.c). */ \
	R(CONFIDENTIAL, "confidential", SG_ERROR, SG_ERROR, \
	    "a confidential mark (保密, 机密, 内部资料 …) in a heading, " \
	    "caption, text or table") \
	R(PRIVACY_MINORS, "privacy-minors", SG_WARNING, SG_WARNING, \
	    "identifiable students listed by name, or a named student's " \
	    "counselling or hardship record") \
	R(PRIVACY_BANKCARD, "privacy-bankcard", SG_ERROR, SG_ERROR, \
	    "a bank card number (16–19 digits passing the Luhn check)") \
	R(PRIVACY_BIRTHDATE, "privacy-birthdate", SG_WARNING, SG_ERROR, \
	    "a birth date beside a personal name") \
	R(PRIVACY_ADDRESS, "privacy-address", SG_WARNING, SG_ERROR, \
	    "a home address (…路…号…室, …村…组…号)") \
	R(SHARE, "share", SG_WARNING, SG_WARNING, \
	    "a share stated in the text differs from the counts it is of") \
	R(SHARE_PEOPLE, "share-people", SG_WARNING, SG_WARNING, \
	    "a percentage of a count that is no whole number of people") \
	R(TEXT_TABLE, "text-table", SG_WARNING, SG_WARNING, \
	    "a count the text states differs from the table row of that name") \
	R(YEARS_FOUNDED, "years-founded", SG_WARNING, SG_WARNING, \
	    "建校/办学 N 年 against the founding year stated elsewhere") \
	R(LIST_COUNT, "list-count", SG_WARNING, SG_WARNING, \
	    "N 个专业 (班级, 基地 …) against the list that follows") \
	R(DATE_INVALID, "date-invalid", SG_WARNING, SG_ERROR, \
	    "a date that does not exist (6月31日, 6.31)") \
	R(DATE_CUTOFF, "date-cutoff", SG_WARNING, SG_WARNING, \
	    "a date after the data cut-off (截止 …) of its table") \
	R(NAME_SPELLING, "name-spelling", SG_WARNING, SG_WARNING, \
	    "one name written with one character different elsewhere") \
	R(TREND_WORDS, "trend-words", SG_WARNING, SG_WARNING, \
	    "逐年上升, 稳步提高 … about a tabulated series that does not move so") \
	/* end of the rules */

/*
 * What readers are told of each rule (the history page of a report
 * published with findings): one row a rule, by its enum name.
 */
#define SG_CHECK_RULE_TITLES(T) \
	T(IMAGE_MISSING, "图片缺失") \
	T(CASE_SEQUENCE, "案例编号不连续") \
	T(CORE_EMPTY, "核心指标未填报") \
	T(UNIT, "指标单位与模板不符") \
	T(PRIVACY_IDCARD, "含身份证号码") \
	T(PRIVACY_MOBILE, "含手机号码") \
	T(PRIVACY_EMAIL, "含非学校的电子邮箱") \
	T(OUTLINE, "缺少内容框架中的部分") \
	T(TABLE_MISSING, "缺少附表") \
	T(TABLE_EMPTY, "附表未填写") \
	T(SERIAL, "序号与模板不符") \
	T(RANGE, "数值超出可能范围") \
	T(PLAUSIBLE, "数值明显不合常理") \
	T(PART_EXCEEDS, "分项大于总数") \
	T(TOTAL_SUM, "分项之和与合计不符") \
	T(CHANGE, "与上年相比变化过大") \
	T(RESTATED, "与往年报告所载数据不一致") \
	T(AGREE, "同一数据前后表述不一致") \
	T(RATIO, "比率与所依据的数据不符") \
	T(AT_MOST, "数量超过其上限") \
	T(TABLE_SUM, "表格合计不符") \
	T(CONFIDENTIAL, "含保密标识") \
	T(PRIVACY_MINORS, "含可识别的学生个人信息") \
	T(PRIVACY_BANKCARD, "含银行卡号") \
	T(PRIVACY_BIRTHDATE, "姓名旁含出生日期") \
	T(PRIVACY_ADDRESS, "含家庭住址") \
	T(SHARE, "比例与所依据的人数不符") \
	T(SHARE_PEOPLE, "百分比换算不成整数人数") \
	T(TEXT_TABLE, "正文数据与表格不一致") \
	T(YEARS_FOUNDED, "办学年限与建校年份不符") \
	T(LIST_COUNT, "数量与所列清单不符") \
	T(DATE_INVALID, "日期不存在") \
	T(DATE_CUTOFF, "日期晚于数据截止日期") \
	T(NAME_SPELLING, "同一姓名写法不一") \
	T(TREND_WORDS, "趋势描述与数据不符") \
	/* end of the titles */

#endif
