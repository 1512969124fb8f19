using System.Globalization;
using Hazards.Domain.Calendar;

namespace Hazards.Api.Features.Reports;

/// <summary>The Chinese words the CSV, XLSX, HTML and mail use for the report's wire names.</summary>
public static class ReportLabels
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["general"] = "一般隐患",
        ["major"] = "重大隐患",
        ["roadTraffic"] = "道路交通",
        ["construction"] = "建设施工",
        ["fire"] = "消防",
        ["hazardousChemicals"] = "危险化学品",
        ["gas"] = "燃气",
        ["hazardousWork"] = "危险作业",
        ["smallWorks"] = "小型工程",
        ["mining"] = "矿山",
        ["specialEquipment"] = "特种设备",
        ["flood"] = "防汛",
        ["geological"] = "地质灾害",
        ["forestFire"] = "森林火灾",
        ["earthquake"] = "地震",
        ["other"] = "其他",
        ["selfCheck"] = "企业自查",
        ["gridPatrol"] = "网格巡查",
        ["regulatorInspection"] = "监管检查",
        ["spotCheck"] = "抽查",
        ["publicTip"] = "群众举报",
        ["sensorAlert"] = "监测预警",
        ["handedDown"] = "上级交办",
        ["reported"] = "待交办",
        ["rectifying"] = "整改中",
        ["fixSubmitted"] = "待核查",
        ["closed"] = "已销号",
        ["rejected"] = "不予立案",
        ["none"] = "未提交",
        ["submitted"] = "已提交待批",
        ["approved"] = "已批准",
        ["daily"] = "日检",
        ["weekly"] = "周检",
        ["monthly"] = "月检",
        ["district"] = "区县挂牌",
        ["city"] = "市级挂牌",
        ["township"] = "乡镇街道",
        ["village"] = "村社区",
        ["grid"] = "网格",
    };

    public static string Of(string? wireName) => wireName is null ? "—" : Words.GetValueOrDefault(wireName, wireName);

    /// <summary>85.71%（6/7）, or — where the denominator is zero.</summary>
    public static string Rate(Rate? rate) => rate is null
        ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"{rate.Value * 100:0.##}%（{rate.Numerator}/{rate.Denominator}）");

    /// <summary>A moment as China's local time, 2026-03-13 23:59: when the report's figures were measured.</summary>
    public static string Instant(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ChinaTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "—";

    /// <summary>渝中区(500103)_清零报告_2026-03-02_2026-03-08.csv: the org and the period, as the download's name.</summary>
    public static string FileName(ClearanceReport report, string extension) =>
        $"{report.OrgUnit.Name}({report.OrgUnit.Code})_清零报告_{Day(report.From)}_{Day(report.To)}.{extension}";

    /// <summary>
    /// 500103_clearance_2026-03-02_2026-03-08.csv: the name a client that ignores <c>filename*</c> saves under. Org codes are
    /// digits, so it is plain ASCII; ASP.NET's own fallback turns every Chinese character into <c>_</c>.
    /// </summary>
    public static string AsciiFileName(ClearanceReport report, string extension) =>
        $"{report.OrgUnit.Code}_clearance_{Day(report.From)}_{Day(report.To)}.{extension}";
}
