using System.Security.Cryptography;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// One operator key per test run, shaped like <c>Vigil.Access.ApiKeyFormat</c>'s (<c>vk_&lt;12 hex&gt;_&lt;secret&gt;</c>):
/// every silo the tests start gets it and every request sends it, so the tests mean the same with auth on.
/// </summary>
internal static class TestKeys
{
    public const string Header = "X-Vigil-Key";

    public static string Operator { get; } =
        $"vk_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
}
