namespace Hazards.Api.Tests.Support;

/// <summary>The checkout the tests run from: its files (the docs, the migrations, tools/) are read where they lie.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Hazards.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("Hazards.sln not found above the test folder.");
    }
}
