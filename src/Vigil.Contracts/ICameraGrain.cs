namespace Vigil.Contracts;

/// <summary>One camera; key <c>home/camera</c> (<see cref="GrainKeys.ForCamera"/>).</summary>
[Alias("vigil.ICameraGrain")]
public interface ICameraGrain : IGrainWithStringKey
{
    /// <summary>Scores a frame against the frame model and the camera's baseline. Throws <see cref="OverloadedException"/> when the model queue is full.</summary>
    [Alias("SubmitFrame")]
    Task<FrameResult> SubmitFrameAsync(FrameData frame);

    [Alias("GetSnapshot")]
    Task<CameraSnapshot> GetSnapshotAsync();
}
