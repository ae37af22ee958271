using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>Runs the parsed command and turns user errors into one clear line on stderr and exit code 1.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUserException e)
        {
            await Console.Error.WriteLineAsync($"vigil: {e.Message}");
            return 1;
        }
    }
}

/// <summary>An error the user can fix (bad file, bad option); printed without a stack trace.</summary>
public class CliUserException(string message, Exception? inner = null) : Exception(message, inner);
