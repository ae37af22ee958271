using Microsoft.Extensions.Options;
using Vigil.Silo;

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

return 0;

/// <summary>Visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
