namespace Vigil.Contracts;

/// <summary>What the alert stream carries: an alert raised, or cleared (then <see cref="Alert"/> has ClearedAt set).</summary>
[GenerateSerializer, Immutable, Alias("vigil.alert-event")]
public sealed record AlertEvent([property: Id(0)] AlertEventType Type, [property: Id(1)] AlertRecord Alert);

[GenerateSerializer, Alias("vigil.alert-event-type")]
public enum AlertEventType
{
    Raised = 0,
    Cleared = 1,
}
