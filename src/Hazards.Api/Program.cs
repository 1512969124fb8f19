using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Cli;
using Microsoft.Extensions.Options;

var (command, commandArgs, hostArgs) = Cli.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(builder.Configuration["Hosting:DefaultUrl"] ?? "http://127.0.0.1:5080");
}

try
{
    builder.Services.AddHazards(builder.Configuration, builder.Environment);
}
catch (OptionsValidationException refused) when (StartupReport.OwnProcess)
{
    return StartupReport.Write(refused, Console.Error);
}

var app = builder.Build();
app.UseHazards();

if (command is not null)
{
    return await Cli.Run(app.Services, command, commandArgs);
}

await app.RunAsync();
return 0;

public partial class Program;
