namespace Hazards.Api.Infrastructure.Data;

/// <summary>
/// Text searched for as a substring with <c>LIKE @Q ESCAPE '\'</c>, the same in both dialects: the escape character,
/// '%', '_' and '[' (a character class on SQL Server) are each escaped, so the text matches literally.
/// </summary>
public static class LikePattern
{
    public static string Containing(string text) =>
        "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_").Replace("[", @"\[") + "%";
}
