/* SVG charts: well-formed XML, accessible, and honest about gaps. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "helpers.h"

static xmlDocPtr
parse(const char *svg)
{
	xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "chart.svg", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	cr_assert_not_null(doc, "not well-formed: %s", svg);
	return doc;
}

static int
count(xmlDocPtr doc, const char *xp)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	int n;

	xmlXPathRegisterNs(ctx, (const xmlChar *)"s",
	    (const xmlChar *)"http://www.w3.org/2000/svg");
	o = xmlXPathEvalExpression((const xmlChar *)xp, ctx);
	n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

Test(chart, spark_is_accessible_xml)
{
	struct sg_chart_point p[] = {
		{2022, 0, 0, "不适用", 0, 0, NULL},
		{2023, 1, 522, "522", 1, 520, "2023 年报告为 520"},
		{2024, 1, 592, "592", 0, 0, NULL},
	};
	char *svg = sg_chart_svg("c1-0", "毕业生人数 <&>", "人", p, 3, 2024,
	    SG_CHART_SPARK);
	xmlDocPtr doc = parse(svg);

	cr_assert_eq(count(doc, "/s:svg[@role='img'][@aria-labelledby='c1-0-t']"),
	    1);
	cr_assert_eq(count(doc, "/s:svg/s:title[@id='c1-0-t']"), 1);
	cr_assert_eq(count(doc, "//s:rect[contains(@class, 'bar')]"), 2);
	cr_assert_eq(count(doc, "//s:rect[@class='bar bar-mark']"), 1);
	cr_assert_eq(count(doc, "//s:line[@class='gap']"), 1);
	cr_assert_eq(count(doc, "//s:circle[@class='old']"), 1);
	xmlNodePtr t = xmlDocGetRootElement(doc)->children;
	xmlChar *title = xmlNodeGetContent(t);
	cr_assert_str_eq((char *)title, "毕业生人数 <&>（人）：2022 年 不适用，"
	    "2023 年 522（2023 年报告为 520），2024 年 592");
	xmlFree(title);
	xmlFreeDoc(doc);
	free(svg);
}

Test(chart, trend_writes_values_and_years)
{
	struct sg_chart_point p[] = {
		{2023, 1, -3.5, "-3.5", 0, 0, NULL},
		{2024, 1, 12500.41, "12500.41", 0, 0, NULL},
	};
	char *svg = sg_chart_svg("t3-1", "生均教学科研仪器设备值", "元/生", p, 2, 0,
	    SG_CHART_TREND);
	xmlDocPtr doc = parse(svg);

	cr_assert_eq(count(doc, "//s:text[@class='value'][.='12500.41']"), 1);
	cr_assert_eq(count(doc, "//s:text[@class='year'][.='2023']"), 1);
	cr_assert_eq(count(doc, "//s:rect[@class='bar bar-mark']"), 0);
	/* Bars stay inside the picture, the negative one below the axis. */
	cr_assert(strstr(svg, "height=\"-") == NULL);
	cr_assert(strstr(svg, "y=\"-") == NULL);
	xmlFreeDoc(doc);
	free(svg);
}

Test(chart, nothing_to_draw)
{
	struct sg_chart_point p[] = {
		{2023, 0, 0, "不适用", 0, 0, NULL},
		{2024, 0, 0, "未填报", 0, 0, NULL},
	};

	cr_assert_null(sg_chart_svg("x", "y", "", p, 2, 2024, SG_CHART_SPARK));
	cr_assert_null(sg_chart_svg("x", "y", "", p, 0, 2024, SG_CHART_SPARK));
}
