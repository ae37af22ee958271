using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Vigil.Access;

namespace Vigil.Silo.Tests;

/// <summary>
/// The real <c>Vigil.Silo</c> process, as a user starts it, with every log category at Debug and its whole console
/// output captured: the generated operator key is printed once and works, and no key secret appears in any log line.
/// </summary>
public sealed partial class AccessConsoleTests
{
    [Fact]
    public async Task The_embedded_default_prints_a_generated_operator_key_once_and_logs_no_secret()
    {
        var keyFolder = Directory.CreateTempSubdirectory("vigil-console-keys-").FullName;
        var keyFile = Path.Combine(keyFolder, "keys.json");
        var home = $"console-home-{Guid.NewGuid():N}"[..24];
        var (homeKey, record) = ApiKeyFormat.Create(home, DateTimeOffset.UtcNow);
        await new FileApiKeyStore(keyFile).AddAsync(record);
        var port = LoopbackPorts.Next();
        var output = new ConcurrentQueue<string>();
        using var process = StartSilo(port, keyFile, output);
        try
        {
            var key = await WaitForAsync(() => output.Select(l => OperatorKeyLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value,
                process, output, TimeSpan.FromSeconds(90), "the operator key on the console");
            Assert.True(ApiKeyFormat.TryParse(key, out _, out var operatorSecret));

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/v1/homes/{home}/alerts")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(client, $"/v1/homes/{home}/alerts", key)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(client, $"/v1/homes/{home}/alerts", homeKey)).StatusCode);
            ApiKeyFormat.TryParse(homeKey, out var homeId, out var homeSecret);
            var forged = $"vk_{homeId}_{ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key.Split('_', 3)[2]}";
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, $"/v1/homes/{home}/alerts", forged)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Send(client, "/v1/homes/someone-else/alerts", homeKey)).StatusCode);

            await StopAsync(process);
            var lines = output.ToArray();
            // Printed once, on the banner line only.
            Assert.Single(lines, l => l.Contains(operatorSecret, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(homeSecret, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(forged.Split('_', 3)[2], StringComparison.Ordinal));
            // Debug logging really was on (so the check above covered the request path's log lines).
            Assert.Contains(lines, l => l.Contains("dbug:", StringComparison.Ordinal));
        }
        finally
        {
            await StopAsync(process);
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    [Fact]
    public async Task Auth_off_prints_a_loud_warning()
    {
        var port = LoopbackPorts.Next();
        var output = new ConcurrentQueue<string>();
        using var process = StartSilo(port, Path.Combine(Path.GetTempPath(), $"vigil-unused-{Guid.NewGuid():N}.json"), output, "--auth", "off");
        try
        {
            await WaitForAsync(() => output.FirstOrDefault(l => l.Contains("WARNING: access control is OFF", StringComparison.Ordinal)),
                process, output, TimeSpan.FromSeconds(90), "the auth-off warning");
            Assert.DoesNotContain(output, l => l.Contains("Operator key", StringComparison.Ordinal));
            // Logged before the banner: the runtime settings the process really runs with (DOTNET_gcServer=0 here;
            // dynamic PGO off from Vigil.Silo.runtimeconfig.json).
            Assert.Contains(output, l => l.Contains("Runtime: workstation GC, tiered PGO off", StringComparison.Ordinal));
        }
        finally
        {
            await StopAsync(process);
        }
    }

    private static Process StartSilo(int port, string keyFile, ConcurrentQueue<string> output, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestRepo.Root,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "Vigil.Silo.dll"),
            $"--Vigil:Http:Urls=http://127.0.0.1:{port}",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Models:Path={TestRepo.Models}",
            $"--Vigil:Auth:KeyFile={keyFile}",
            "--Logging:LogLevel:Default=Debug",
            "--Logging:LogLevel:Microsoft=Debug",
            "--Logging:LogLevel:Orleans=Debug",
            "--simulate", "0",
            .. extra,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Vigil.Silo.dll");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(ApiKeyAuthenticator.Header, key);
        return await client.SendAsync(request);
    }

    private static async Task<string> WaitForAsync(Func<string?> find, Process process, ConcurrentQueue<string> output, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found) return found;
            if (process.HasExited) break;
            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"no {what} within {within.TotalSeconds:F0} s; output:\n{string.Join('\n', output.TakeLast(60))}");
    }

    /// <summary>SIGTERM-like stop: kill the tree and wait, so the output is complete.</summary>
    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.WaitForExit(); // flushes the asynchronous output readers
    }

    [GeneratedRegex(@"^\s+(vk_[0-9a-f]{12}_[A-Za-z0-9_-]+)\s*$")]
    private static partial Regex OperatorKeyLine();
}
