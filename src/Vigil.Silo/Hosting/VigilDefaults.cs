using Vigil.Silo.Configuration;

namespace Vigil.Silo.Hosting;

/// <summary>
/// Defaults that depend on the mode or the file system, written back into configuration so every component
/// (grains included) reads the same effective value: the accelerator flag, and the models folder as an absolute path.
/// </summary>
internal static class VigilDefaults
{
    public const string ModelsPathKey = "Vigil:Models:Path";
    public const string AcceleratorKey = "Vigil:Silo:Accelerator";

    public static WebApplicationBuilder AddVigilDefaults(this WebApplicationBuilder builder, HostSettings settings)
    {
        var repoRoot = RepoPaths.FindRoot(builder.Environment.ContentRootPath, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        var contentRoot = builder.Environment.ContentRootPath;
        var simulatorData = builder.Configuration[$"{SimulatorOptions.Section}:FashionMnistPath"] ?? new SimulatorOptions().FashionMnistPath;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AcceleratorKey] = settings.Silo.EffectiveAccelerator(settings.Clustering.Mode) ? "true" : "false",
            [ModelsPathKey] = RepoPaths.Resolve(builder.Configuration[ModelsPathKey] ?? "models", repoRoot, contentRoot),
            [$"{SimulatorOptions.Section}:FashionMnistPath"] = RepoPaths.Resolve(simulatorData, repoRoot, contentRoot),
            // Password, user and TLS folded in, so the model registry (which reads this key) connects as the host does.
            [RedisConnection.ConnectionStringKey] = settings.Redis.ConnectionString,
        });
        return builder;
    }
}
