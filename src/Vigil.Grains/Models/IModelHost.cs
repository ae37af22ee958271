using Vigil.Contracts;

namespace Vigil.Grains.Models;

/// <summary>A loaded detector with its batcher; disposing drains queued requests, then frees the detector.</summary>
internal interface IModelHost : IAsyncDisposable
{
    ModelInfo Info { get; }
}
