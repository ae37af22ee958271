using System.Net.Http.Json;

namespace Vigil.Simulation;

/// <summary>The request that tells the cluster what a simulated sensor measures (<c>PUT /v1/homes/{home}/devices/{device}</c>,
/// <c>{"kind": "power"}</c>), as a hub would when a sensor is added; both simulators send it before the sensor's readings.</summary>
public static class KindDeclaration
{
    public static HttpRequestMessage For(SimulatedDevice device) =>
        new(HttpMethod.Put, $"/v1/homes/{device.HomeId}/devices/{device.DeviceId}")
        {
            Content = JsonContent.Create(new { kind = device.Signal.Kind.Name() }),
        };
}
