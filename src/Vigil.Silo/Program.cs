using Microsoft.Extensions.Options;
using Vigil.Silo;
using Vigil.Silo.Configuration;

try
{
    SiloApp.Build(args).Run();
}
catch (OptionsValidationException e)
{
    // A misconfiguration is the operator's to fix: one line per problem, each naming its key, no stack trace.
    foreach (var failure in e.Failures)
    {
        Console.Error.WriteLine($"vigil: configuration error: {failure}");
    }

    return 2;
}
catch (Exception e) when (RedisConnection.FindFailure(e) is { } redis)
{
    // Orleans has logged the stack; the operator needs the one line that says what to fix (never the password).
    Console.Error.WriteLine($"vigil: {RedisConnection.Explain(redis)}");
    return 3;
}

return 0;

/// <summary>Visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
