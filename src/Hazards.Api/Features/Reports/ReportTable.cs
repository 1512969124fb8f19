namespace Hazards.Api.Features.Reports;

/// <summary>The columns of the one-row-per-unit table that the CSV, the HTML and the XLSX summary sheet share, with Chinese headers.</summary>
public static class ReportTable
{
    /// <summary>
    /// A column as text (<see cref="Value"/>, which the CSV and HTML print) and, for a rate, the rate itself
    /// (<see cref="Rate"/>), which the XLSX writes as a percentage beside its numerator and denominator.
    /// </summary>
    public sealed record Column(string Header, Func<UnitMetrics, object?> Value, Func<UnitMetrics, Rate?>? Rate = null);

    private static Column RateColumn(string header, Func<UnitMetrics, Rate?> rate) => new(header, u => ReportLabels.Rate(rate(u)), rate);

    public static IReadOnlyList<Column> Columns { get; } =
    [
        new("单位代码", u => u.Code),
        new("单位名称", u => u.Name),
        new("新增隐患", u => u.Cases.New.Total),
        new("新增重大隐患", u => u.Cases.New.ByLevel["major"]),
        new("上期结转", u => u.Cases.CarriedOver.Total),
        new("本期销号", u => u.Cases.Closed.Total),
        new("按期整改销号", u => u.Cases.FixedOnTime),
        new("未销号", u => u.Cases.Open.Total),
        new("重大隐患未销号", u => u.Cases.OpenMajor),
        new("逾期未销号", u => u.Cases.Overdue.Total),
        new("重大隐患逾期", u => u.Cases.OpenOverdueMajor),
        new("不予立案", u => u.Cases.Rejected),
        RateColumn("整改按期率", u => u.Rates.OnTimeRectification),
        RateColumn("销号率", u => u.Rates.CloseOut),
        RateColumn("自查自报率", u => u.Rates.SelfReport),
        RateColumn("返工率", u => u.Rates.Rework),
        RateColumn("延期率", u => u.Rates.Extension),
        RateColumn("假整改重开率", u => u.Rates.Reopen),
        RateColumn("日检完成率", u => u.Cadence[0].Rate),
        RateColumn("周检完成率", u => u.Cadence[1].Rate),
        RateColumn("月检完成率", u => u.Cadence[2].Rate),
        RateColumn("排查完成率（合计）", u => u.Rates.Cadence),
        new("预警", u => u.NoticesByStep[0].Count),
        new("提示函", u => u.NoticesByStep[1].Count),
        new("警示函", u => u.NoticesByStep[2].Count),
        new("通报", u => u.NoticesByStep[3].Count),
        new("曝光", u => u.NoticesByStep[4].Count),
        RateColumn("签收率", u => u.Acknowledgements.Rate),
        new("签收用时中位数（小时）", u => u.Acknowledgements.MedianHours is { } hours ? hours : "—"),
        new("挂牌督办", u => u.Listed.Total),
        new("免予处罚", u => u.Penalty.Exempt),
        new("从重处罚", u => u.Penalty.Aggravated),
        new("真查抽查", u => u.SpotChecks.Checked),
        new("假整改", u => u.SpotChecks.FakeFixes),
        new("公示牌不全单位", u => u.IncompleteBoards),
        new("综合得分", u => u.Score is { } score ? Math.Round(score, 2) : "—"),
        new("排名", u => u.Rank is { } rank ? rank : "—"),
    ];

    /// <summary>The rows of the table: one per child unit, or the unit itself when it has none (a grid).</summary>
    public static IReadOnlyList<UnitMetrics> Rows(ClearanceReport report) => report.Children.Count > 0 ? report.Children : [report.Summary];

    /// <summary>The row under the children: the report's own unit as 渝中区（合计）; none for a grid, whose one row is itself.</summary>
    public static UnitMetrics? Total(ClearanceReport report) =>
        report.Children.Count > 0 ? report.Summary with { Name = $"{report.Summary.Name}（合计）" } : null;

    /// <summary>The rows and, when there is one, the total row: what the CSV and the XLSX summary list.</summary>
    public static IReadOnlyList<UnitMetrics> RowsWithTotal(ClearanceReport report) =>
        Total(report) is { } total ? [.. Rows(report), total] : Rows(report);
}
