using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hazards.Api.Tests.Support;

namespace Hazards.Api.Tests.Features.Imports;

/// <summary>Sends import files as a client would and waits for their job.</summary>
public static class ImportDriver
{
    public const string UsersHeader = "登录名,姓名,手机,邮箱,角色,所属组织编码,负责单位编码,外部身份标识";

    public static byte[] Csv(params string[] lines) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")];

    public static Task<HttpResponseMessage> Send(this HttpClient client, string kind, byte[] file, string? mode = null, string fileName = "import.csv")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        var form = new MultipartFormDataContent { { new StringContent(kind), "kind" }, { content, "file", fileName } };
        if (mode is not null)
        {
            form.Add(new StringContent(mode), "mode");
        }

        return client.PostAsync("/api/v1/imports", form);
    }

    /// <summary>Sends a file and waits until its job ended; answers the import as GET /imports/{id} shows it.</summary>
    public static async Task<JsonNode> Import(this HttpClient client, string kind, byte[] file, string? mode = null, string fileName = "import.csv") =>
        await client.Finished(await client.Queue(kind, file, mode, fileName));

    /// <summary>Sends a file and answers the id of the import it queued, without waiting for its job.</summary>
    public static async Task<Guid> Queue(this HttpClient client, string kind, byte[] file, string? mode = null, string fileName = "import.csv")
    {
        var response = await client.Send(kind, file, mode, fileName);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static async Task<JsonNode> Finished(this HttpClient client, Guid id)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var view = await (await client.GetAsync($"/api/v1/imports/{id}?errorsLimit=200")).Json();
            if (view["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled")
            {
                return view;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"import {id} did not end within a minute");
        return null!;
    }

    public static IEnumerable<(int Row, string Column, string Code)> Errors(this JsonNode import) =>
        import["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]!.GetValue<string>(), e["code"]!.GetValue<string>()));
}
