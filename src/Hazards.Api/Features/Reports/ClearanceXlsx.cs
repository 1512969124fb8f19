namespace Hazards.Api.Features.Reports;

/// <summary>
/// The report as an Excel workbook (<see cref="XlsxWorkbook"/>): 汇总 (one row per child unit and the total row, each rate as a
/// percentage beside its numerator and denominator), 重大隐患清单 (the open major hazards, deadlines as dates), 分类统计 (the
/// unit's counts by level, sector and origin) and 假整改 (the period's fake fixes by unit and by verifier). Every sheet has the
/// same title row: the org unit, the period and the moment the figures were measured.
/// </summary>
public static class ClearanceXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string SummarySheet = "汇总";
    public const string MajorSheet = "重大隐患清单";
    public const string BreakdownSheet = "分类统计";
    public const string FakeFixSheet = "假整改";

    public const string NumeratorSuffix = "分子";
    public const string DenominatorSuffix = "分母";

    public static byte[] Render(ClearanceReport report)
    {
        var title = Title(report);
        return XlsxWorkbook.Write(
        [
            Summary(report, title),
            new XlsxSheet(MajorSheet, title,
                ["隐患编号", "隐患名称", "所属下级单位", "责任单位", "状态", "整改方案", "整改期限", "剩余工作日", "逾期工作日", "是否逾期", "升级步骤", "挂牌督办"],
                [.. report.OpenMajorHazards.Select(Major)], FrozenColumns: 2),
            new XlsxSheet(BreakdownSheet, title, ["分类", "项目", "新增", "上期结转", "本期销号", "未销号", "逾期"], Breakdowns(report), FrozenColumns: 2),
            new XlsxSheet(FakeFixSheet, title, ["对象", "名称", "账号或编号", "所属下级单位", "假整改"], FakeFixes(report), FrozenColumns: 2),
        ]);
    }

    /// <summary>渝中区（500103）隐患排查治理动态清零情况　统计期间：2026-03-09 至 2026-03-13　数据截至：2026-03-13 23:59.</summary>
    public static string Title(ClearanceReport report) =>
        $"{report.OrgUnit.Name}（{report.OrgUnit.Code}）隐患排查治理动态清零情况　统计期间：{ReportLabels.Day(report.From)} 至 {ReportLabels.Day(report.To)}"
        + $"　数据截至：{ReportLabels.Instant(report.AsOf)}{(report.Live ? "（实时）" : "")}";

    private static XlsxSheet Summary(ClearanceReport report, string title)
    {
        var headers = ReportTable.Columns.SelectMany(c => c.Rate is null
            ? new[] { c.Header }
            : [c.Header, c.Header + NumeratorSuffix, c.Header + DenominatorSuffix]).ToList();
        var units = ReportTable.RowsWithTotal(report);
        var hasTotal = ReportTable.Total(report) is not null;
        var rows = units
            .Select((unit, i) => new XlsxRow([.. ReportTable.Columns.SelectMany(c => Cells(c, unit))], Total: hasTotal && i == units.Count - 1))
            .ToList();
        return new XlsxSheet(SummarySheet, title, headers, rows, FrozenColumns: 2);
    }

    private static IEnumerable<XlsxCell> Cells(ReportTable.Column column, UnitMetrics unit)
    {
        if (column.Rate is { } pick)
        {
            var rate = pick(unit);
            return [XlsxCell.Percent(rate?.Value), XlsxCell.Integer(rate?.Numerator), XlsxCell.Integer(rate?.Denominator)];
        }

        return [column.Value(unit) switch
        {
            int number => XlsxCell.Integer(number),
            double number => XlsxCell.Decimal(number),
            var text => XlsxCell.Text(text?.ToString()),
        }];
    }

    private static XlsxRow Major(OpenMajorHazard m) => new(
    [
        XlsxCell.Text(m.Code), XlsxCell.Text(m.Title), XlsxCell.Text(m.ChildName), XlsxCell.Text(m.UnitName), XlsxCell.Text(ReportLabels.Of(m.Status)),
        XlsxCell.Text(ReportLabels.Of(m.PlanState)), XlsxCell.Date(m.DeadlineDay), XlsxCell.Integer(m.WorkingDaysLeft), XlsxCell.Integer(m.WorkingDaysOverdue),
        XlsxCell.Text(m.Overdue ? "是" : "否"), XlsxCell.Text(m.EscalationStep is { } step ? Hazards.Domain.Escalation.EscalationLadder.StepName(step) : null),
        XlsxCell.Text(m.Listed ? ReportLabels.Of(m.ListedLevel ?? "district") : null),
    ]);

    private static List<XlsxRow> Breakdowns(ClearanceReport report)
    {
        var cases = report.Summary.Cases;
        (string Kind, Func<Breakdown, IReadOnlyDictionary<string, int>> Pick)[] kinds =
            [("隐患等级", b => b.ByLevel), ("行业领域", b => b.BySector), ("发现来源", b => b.ByOrigin)];
        return
        [
            .. kinds.SelectMany(k => k.Pick(cases.New).Keys.Select(key => new XlsxRow(
            [
                XlsxCell.Text(k.Kind), XlsxCell.Text(ReportLabels.Of(key)), XlsxCell.Integer(k.Pick(cases.New)[key]), XlsxCell.Integer(k.Pick(cases.CarriedOver)[key]),
                XlsxCell.Integer(k.Pick(cases.Closed)[key]), XlsxCell.Integer(k.Pick(cases.Open)[key]), XlsxCell.Integer(k.Pick(cases.Overdue)[key]),
            ]))),
        ];
    }

    private static List<XlsxRow> FakeFixes(ClearanceReport report) =>
    [
        .. report.FakeFixes.ByUnit.Select(u => new XlsxRow(
            [XlsxCell.Text("责任单位"), XlsxCell.Text(u.UnitName), XlsxCell.Text(u.UnitId?.ToString()), XlsxCell.Text(u.ChildName), XlsxCell.Integer(u.Count)])),
        .. report.FakeFixes.ByVerifier.Select(v => new XlsxRow(
            [XlsxCell.Text("核查销号人"), XlsxCell.Text(v.Name), XlsxCell.Text(v.Login), XlsxCell.Text(null), XlsxCell.Integer(v.Count)])),
    ];
}
