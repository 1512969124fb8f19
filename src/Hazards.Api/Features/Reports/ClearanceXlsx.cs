using System.Data;
using MiniExcelLibs;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report as an Excel workbook: 汇总 (one row per child unit and a total row), 重大隐患清单 (the open
/// major hazards), 分类统计 (the unit's counts by level, sector and origin) and 假整改 (the period's fake fixes by
/// unit and by verifier), all with Chinese headers. Text cells that a spreadsheet would run as a formula get a leading
/// <c>'</c> (<see cref="SpreadsheetText"/>); numbers are numeric cells.
/// </summary>
public static class ClearanceXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string SummarySheet = "汇总";
    public const string MajorSheet = "重大隐患清单";
    public const string BreakdownSheet = "分类统计";
    public const string FakeFixSheet = "假整改";

    public static byte[] Render(ClearanceReport report)
    {
        var sheets = new Dictionary<string, object>
        {
            [SummarySheet] = Summary(report),
            [MajorSheet] = Majors(report),
            [BreakdownSheet] = Breakdowns(report),
            [FakeFixSheet] = FakeFixes(report),
        };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static DataTable Summary(ClearanceReport report)
    {
        var table = Table(ReportTable.Columns.Select(c => c.Header));
        foreach (var unit in ReportTable.RowsWithTotal(report))
        {
            Add(table, ReportTable.Columns.Select(c => c.Value(unit)).ToArray());
        }

        return table;
    }

    private static DataTable Majors(ClearanceReport report)
    {
        var table = Table(["隐患编号", "隐患名称", "所属下级单位", "责任单位", "状态", "整改方案", "整改期限", "剩余工作日", "逾期工作日", "是否逾期", "升级步骤", "挂牌督办"]);
        foreach (var m in report.OpenMajorHazards)
        {
            Add(table, m.Code, m.Title, m.ChildName ?? "—", m.UnitName ?? "—", ReportLabels.Of(m.Status), ReportLabels.Of(m.PlanState),
                m.DeadlineDay is { } day ? ReportLabels.Day(day) : "—", (object?)m.WorkingDaysLeft ?? "—", (object?)m.WorkingDaysOverdue ?? "—",
                m.Overdue ? "是" : "否", Hazards.Domain.Escalation.EscalationLadder.StepName(m.EscalationStep),
                m.Listed ? ReportLabels.Of(m.ListedLevel ?? "district") : "—");
        }

        return table;
    }

    private static DataTable Breakdowns(ClearanceReport report)
    {
        var table = Table(["分类", "项目", "新增", "上期结转", "本期销号", "未销号", "逾期"]);
        var cases = report.Summary.Cases;
        (string Kind, Func<Breakdown, IReadOnlyDictionary<string, int>> Pick)[] kinds =
            [("隐患等级", b => b.ByLevel), ("行业领域", b => b.BySector), ("发现来源", b => b.ByOrigin)];
        foreach (var (kind, pick) in kinds)
        {
            foreach (var key in pick(cases.New).Keys)
            {
                Add(table, kind, ReportLabels.Of(key), pick(cases.New)[key], pick(cases.CarriedOver)[key], pick(cases.Closed)[key],
                    pick(cases.Open)[key], pick(cases.Overdue)[key]);
            }
        }

        return table;
    }

    private static DataTable FakeFixes(ClearanceReport report)
    {
        var table = Table(["对象", "名称", "账号或编号", "所属下级单位", "假整改"]);
        foreach (var u in report.FakeFixes.ByUnit)
        {
            Add(table, "责任单位", u.UnitName ?? "—", u.UnitId?.ToString() ?? "—", u.ChildName ?? "—", u.Count);
        }

        foreach (var v in report.FakeFixes.ByVerifier)
        {
            Add(table, "核查销号人", v.Name ?? "—", v.Login ?? "—", "—", v.Count);
        }

        return table;
    }

    private static DataTable Table(IEnumerable<string> headers)
    {
        var table = new DataTable();
        foreach (var header in headers)
        {
            table.Columns.Add(header, typeof(object));
        }
        return table;
    }

    /// <summary>Every row of every sheet goes in here, so no text cell escapes <see cref="SpreadsheetText"/>.</summary>
    private static void Add(DataTable table, params object?[] values) => table.Rows.Add(values.Select(SpreadsheetText.Cell).ToArray());
}
