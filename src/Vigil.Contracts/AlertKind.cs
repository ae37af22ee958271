namespace Vigil.Contracts;

[GenerateSerializer, Alias("vigil.alert-kind")]
public enum AlertKind
{
    /// <summary>A device's window scored above its threshold.</summary>
    Sensor = 0,

    /// <summary>A camera frame scored above its threshold.</summary>
    Camera = 1,

    /// <summary>A sensor and a camera alert of one home close in time, fused into one stronger alert.</summary>
    Home = 2,
}
