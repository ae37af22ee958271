using System.Diagnostics;

namespace Vigil.Silo.Tests;

/// <summary>A throwaway CA and a server certificate for 127.0.0.1 signed by it (PEM files, made with openssl).</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaFile => Path.Combine(Folder, "ca.crt");

    public string CertFile => Path.Combine(Folder, "server.crt");

    public string KeyFile => Path.Combine(Folder, "server.key");

    public static TestCertificates Create()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-tls-").FullName;
        File.WriteAllText(Path.Combine(folder, "san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Run(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=vigil-test-ca");
        Run(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Run(folder, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt",
            "-days", "2", "-extfile", "san.cnf");
        return new TestCertificates(folder);
    }

    private static void Run(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {args[0]} failed: {error.Result}");
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
