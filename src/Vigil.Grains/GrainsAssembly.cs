// Grain implementations live here (DeviceGrain, CameraGrain, HomeGrain, ModelGrain); they see contracts and
// detectors, never the hosts.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Vigil.Silo")]
