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

#endif
