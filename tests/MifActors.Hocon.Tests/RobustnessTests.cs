namespace MifActors.Hocon.Tests;

/// <summary>Random HOCON-shaped garbage: the parser may refuse it, but only with a HoconException.</summary>
public sealed class RobustnessTests
{
    private const string Alphabet = "ab1.-= :{}[],\"\\$?#/\n \t+ux0e\"\"\"";

    [Fact]
    public void Random_input_fails_only_with_a_hocon_exception()
    {
        var random = new Random(20261123);
        var buffer = new char[40];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(1, buffer.Length);
            for (var j = 0; j < length; j++) buffer[j] = Alphabet[random.Next(Alphabet.Length)];
            var text = new string(buffer, 0, length);
            try
            {
                Hocon.ParseToJson(text);
            }
            catch (HoconException e)
            {
                Assert.True(e.Line >= 1 && e.Column >= 1, $"{e.Message} for input {Escape(text)}");
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message} for input {Escape(text)}");
            }
        }
    }

    [Fact]
    public void Random_input_with_substitutions_fails_only_with_a_hocon_exception()
    {
        var random = new Random(7);
        string[] pieces = ["a", "b", "a.b", "${a}", "${?b}", "${a.b}", "{", "}", "[", "]", " ", "\n", "=", "+=", ":", "x", "1", ","];
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 16)).Select(_ => pieces[random.Next(pieces.Length)]));
            try
            {
                Hocon.ParseToJson(text);
            }
            catch (HoconException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message} for input {Escape(text)}");
            }
        }
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\t", "\\t");
}
