using MifActors.Pmip.Tests.Support;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Tests;

public class FuzzTests
{
    private const int Inputs = 1_000_000;

    [Fact]
    public void A_million_random_and_mutated_packets_never_throw_and_each_decodes_or_names_an_error()
    {
        var random = new Random(20240501);
        var seeds = Samples.All().Select(m => Samples.Encode(m)).ToList();
        var key = new byte[32];
        foreach (var message in Samples.All())
        {
            var signed = new byte[MobilityHeaderCodec.MaxLength];
            seeds.Add(signed[..MobilityMessageAuthentication.EncodeSigned(message, signed, 7, key)]);
        }

        var buffer = new FlowHandoverBuffer();
        var scratch = new byte[MobilityHeaderCodec.MaxLength + 64];
        int decoded = 0, rejected = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var length = Mutate(random, seeds[random.Next(seeds.Count)], scratch);
            var input = scratch.AsSpan(0, length);
            try
            {
                if (MobilityHeaderCodec.TryDecode(input, out var message, out MobilityHeaderError error))
                {
                    Assert.NotNull(message);
                    decoded++;
                    if (i % 16 == 0) AssertReencodes(message);
                }
                else
                {
                    Assert.Null(message);
                    Assert.True(error.IsError);
                    Assert.False(string.IsNullOrEmpty(error.Message));
                    rejected++;
                }

                if (MobilityHeaderCodec.TryDecode(input, buffer, out error))
                    Assert.True(buffer.IsReply || buffer.HasMobileNodeIdentifier);
                else
                    Assert.True(error.IsError);
                MobilityMessageAuthentication.TryVerify(input, 7, key, out _);
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"input {i} threw {exception}\n{Convert.ToHexString(input)}");
            }
        }

        Assert.Equal(Inputs, decoded + rejected);
        Assert.True(decoded > Inputs / 100, $"only {decoded} inputs decoded: the mutations are too blunt to reach the option parsers");
        Assert.True(rejected > Inputs / 2, $"only {rejected} inputs rejected");
    }

    // A decoded message must encode again and decode to itself: the decoder accepts nothing the encoder cannot say.
    private static void AssertReencodes(MobilityMessage message)
    {
        var bytes = Samples.Encode(message);
        Assert.True(MobilityHeaderCodec.TryDecode(bytes, out var again, out string? error), error);
        Assert.Equal(message, again);
    }

    private static int Mutate(Random random, byte[] seed, byte[] output)
    {
        switch (random.Next(6))
        {
            case 0: // pure noise, sometimes dressed with a plausible header so it reaches the option parser
            {
                var length = random.Next(0, 96);
                random.NextBytes(output.AsSpan(0, length));
                if (length >= 8 && random.Next(2) == 0)
                {
                    length &= ~7;
                    output[0] = 59;
                    output[1] = (byte)(length / 8 - 1);
                    output[2] = (byte)(random.Next(3) switch { 0 => 5, 1 => 6, _ => 200 });
                }

                return length;
            }

            case 1: // bit flips
            {
                seed.CopyTo(output, 0);
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                    output[random.Next(seed.Length)] ^= (byte)(1 << random.Next(8));
                return seed.Length;
            }

            case 2: // truncation, with the header length sometimes fixed up to match
            {
                seed.CopyTo(output, 0);
                var length = random.Next(0, seed.Length);
                if (random.Next(2) == 0 && length >= 8)
                {
                    length &= ~7;
                    output[1] = (byte)(length / 8 - 1);
                }

                return length;
            }

            case 3: // an option-length or type byte edited (options start at 12)
            {
                seed.CopyTo(output, 0);
                if (seed.Length > 12)
                    output[random.Next(12, seed.Length)] = (byte)(random.Next(2) == 0 ? random.Next(256) : random.Next(40));
                return seed.Length;
            }

            case 4: // header length edited
            {
                seed.CopyTo(output, 0);
                output[1] = (byte)random.Next(256);
                return seed.Length;
            }

            default: // extension with garbage options
            {
                seed.CopyTo(output, 0);
                var extra = 8 * random.Next(1, 4);
                random.NextBytes(output.AsSpan(seed.Length, extra));
                output[1] = (byte)((seed.Length + extra) / 8 - 1);
                return seed.Length + extra;
            }
        }
    }
}
