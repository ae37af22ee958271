using Vigil.Silo;

var app = SiloApp.Build(args);
app.Run();

/// <summary>Visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
