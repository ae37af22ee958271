namespace Vigil.Access.Tests;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void A_created_key_parses_back_to_its_record_and_the_record_holds_no_secret()
    {
        var (key, record) = ApiKeyFormat.Create("home-1", DateTimeOffset.UnixEpoch);
        Assert.True(ApiKeyFormat.TryParse(key, out var id, out var secret));
        Assert.Equal(record.Id, id);
        Assert.True(ApiKeyFormat.Matches(record, secret));
        Assert.DoesNotContain(secret, record.SecretSha256);
        Assert.DoesNotContain(secret, record.ToString());
    }

    [Fact]
    public void Two_keys_never_repeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.Create(null, DateTimeOffset.UnixEpoch).Key).ToHashSet();
        Assert.Equal(1000, keys.Count);
    }

    [Fact]
    public void A_wrong_secret_does_not_match()
    {
        var (key, record) = ApiKeyFormat.Create(null, DateTimeOffset.UnixEpoch);
        ApiKeyFormat.TryParse(key, out _, out var secret);
        Assert.False(ApiKeyFormat.Matches(record, secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vk_")]
    [InlineData("Bearer abc")]
    [InlineData("vk_zzzzzzzzzzzz_secretsecretsecret")]
    [InlineData("vk_0123456789ab")]
    [InlineData("vk_0123456789ab_")]
    [InlineData("vk_../../etc/passwd_xxxxxxxxxxxxxxxx")]
    public void Malformed_keys_are_refused_without_throwing(string? presented) =>
        Assert.False(ApiKeyFormat.TryParse(presented, out _, out _));

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(42);
        for (int i = 0; i < 10_000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (int c = 0; c < chars.Length; c++) chars[c] = (char)random.Next(1, 0x3000);
            var text = random.Next(3) == 0 ? "vk_" + new string(chars) : new string(chars);
            ApiKeyFormat.TryParse(text, out _, out _);
        }
    }
}
