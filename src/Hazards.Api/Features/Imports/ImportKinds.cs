using System.Globalization;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Units;
using Hazards.Api.Features.Users;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;

namespace Hazards.Api.Features.Imports;

public enum ImportKind
{
    OrgUnits,
    Units,
    Users,
    Boundaries,
}

/// <summary>A column of an import file: its Chinese header (as in the template), the field it fills, and whether it must be there.</summary>
public sealed record ImportColumn(string Header, string Field, bool Required, string Example);

/// <summary>The columns of each kind's template, and how a row of cells becomes the writers' input.</summary>
public static class ImportKinds
{
    private static readonly (ResponsibleKind Kind, string Title)[] PersonTitles =
    [
        (ResponsibleKind.Administrative, "行政负责人"),
        (ResponsibleKind.IndustryRegulator, "行业监管负责人"),
        (ResponsibleKind.ProfessionalRegulator, "专业监管负责人"),
        (ResponsibleKind.Enterprise, "企业负责人"),
    ];

    public static IReadOnlyList<ImportColumn> Columns(ImportKind kind) => kind switch
    {
        ImportKind.OrgUnits =>
        [
            new("编码", "code", true, "500103001009"),
            new("名称", "name", true, "解放碑社区"),
            new("上级编码", "parentCode", true, "500103001"),
        ],
        ImportKind.Units =>
        [
            new("单位编码", "code", true, "YZ-000001"),
            new("单位名称", "name", true, "解放碑火锅店"),
            new("统一社会信用代码", "creditCode", false, "91500103MA5U000001"),
            new("所在网格编码", "gridCode", true, "500103001001001"),
            new("行业领域", "sectors", true, "fire;gas"),
            new("风险等级", "riskColour", true, "orange"),
            new("地址", "address", false, "渝中区解放碑步行街1号"),
            .. PersonTitles.SelectMany(p => new ImportColumn[]
            {
                new(p.Title, Wire.Name(p.Kind) + "Name", false, "张三"),
                new(p.Title + "电话", Wire.Name(p.Kind) + "Phone", false, "13800000000"),
                new(p.Title + "邮箱", Wire.Name(p.Kind) + "Email", false, "zhang@unit.example"),
            }),
        ],
        ImportKind.Users =>
        [
            new("登录名", "login", true, "grid-500103001001001"),
            new("姓名", "name", true, "李四"),
            new("手机", "phone", false, "13900000000"),
            new("邮箱", "email", true, "lisi@hazards.example"),
            new("角色", "role", true, "gridWorker"),
            new("所属组织编码", "orgUnit", true, "500103001001001"),
            new("负责单位编码", "unitCodes", false, ""),
            new("外部身份标识", "externalSubject", false, ""),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The example rows of a file the report names; a file of nothing else is no reason for more.</summary>
    public const int MaxExampleWarnings = 200;

    /// <summary>
    /// A row that is the template's example, cell for cell: it is never imported (a real-looking code in it could be
    /// someone's real one), and the report warns of it instead.
    /// </summary>
    public static RowError? Example(ImportKind kind, int rowNo, IReadOnlyDictionary<string, string?> cells)
    {
        var columns = Columns(kind);
        return columns.All(c => Cell(cells, c.Field) == (c.Example.Length > 0 ? c.Example : null))
            ? new RowError(rowNo, columns[0].Field, "import.example_row", "This is the template's example row; it was skipped. Replace it with your own rows.")
            : null;
    }

    /// <summary>
    /// The text rule of the JSON routes (<see cref="PlainText"/>) for every cell of a row: a control or invisible
    /// character refuses the row with the routes' code, <c>text.control_character</c>, naming its column.
    /// </summary>
    public static IEnumerable<RowError> TextErrors(int rowNo, IReadOnlyDictionary<string, string?> cells) =>
        from cell in cells
        where cell.Value is not null
        let at = PlainText.FirstRefused(cell.Value)
        where at >= 0
        select new RowError(rowNo, cell.Key, "text.control_character",
            $"U+{(int)cell.Value[at]:X4} at character {at} is a control or invisible character; text fields take none but tab and line breaks.");

    public static string? Cell(IReadOnlyDictionary<string, string?> cells, string field) =>
        cells.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static IReadOnlyList<string> List(string? value) =>
        value is null ? [] : value.Split([';', '；', '、', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static OrgUnitInput OrgUnit(int rowNo, IReadOnlyDictionary<string, string?> cells) =>
        new(rowNo, Cell(cells, "code"), Cell(cells, "name"), Cell(cells, "parentCode"));

    public static UserInput User(int rowNo, IReadOnlyDictionary<string, string?> cells) =>
        new(rowNo, Cell(cells, "login"), Cell(cells, "name"), Cell(cells, "phone"), Cell(cells, "email"), Cell(cells, "role"),
            Cell(cells, "orgUnit"), Cell(cells, "externalSubject"), List(Cell(cells, "unitCodes")), []);

    public static UnitInput Unit(int rowNo, IReadOnlyDictionary<string, string?> cells)
    {
        var persons = new Dictionary<ResponsibleKind, ResponsiblePerson>();
        foreach (var (kind, _) in PersonTitles)
        {
            var field = Wire.Name(kind);
            var name = Cell(cells, field + "Name");
            var phone = Cell(cells, field + "Phone");
            var email = Cell(cells, field + "Email");
            if (name is not null || phone is not null || email is not null)
            {
                persons[kind] = new ResponsiblePerson(name ?? "", phone, email);
            }
        }

        return new UnitInput(rowNo, Cell(cells, "code"), Cell(cells, "name"), Cell(cells, "creditCode"), Cell(cells, "gridCode"),
            List(Cell(cells, "sectors")), Cell(cells, "riskColour")?.ToLower(CultureInfo.InvariantCulture), Cell(cells, "address"), persons);
    }
}
