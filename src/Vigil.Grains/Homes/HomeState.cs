using Vigil.Contracts;

namespace Vigil.Grains.Homes;

/// <summary>A home's alerts, oldest first; open ones are kept whatever the bound.</summary>
[GenerateSerializer, Alias("vigil.home-state")]
public sealed class HomeState
{
    [Id(0)] public List<AlertRecord> Alerts { get; set; } = [];
}
