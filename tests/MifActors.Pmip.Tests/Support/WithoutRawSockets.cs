using System.Runtime.InteropServices;

namespace MifActors.Pmip.Tests.Support;

/// <summary>
/// Runs code as a process that may not open raw sockets would, though the tests run as root: Linux capabilities
/// belong to a thread, so a thread of its own drops CAP_NET_RAW from its effective set, runs the code and ends.
/// </summary>
internal static class WithoutRawSockets
{
    private const uint CapabilityVersion3 = 0x20080522;
    private const int CapNetRaw = 13;

    public static Exception? Run(Action action)
    {
        Exception? thrown = null;
        Exception? setupFailure = null;
        var thread = new Thread(() =>
        {
            var header = new CapabilityHeader { Version = CapabilityVersion3 };
            var data = new CapabilityData[2];
            if (capget(ref header, data) != 0 || !DropNetRaw(ref header, data))
            {
                setupFailure = new InvalidOperationException($"could not drop CAP_NET_RAW: errno {Marshal.GetLastPInvokeError()}");
                return;
            }

            try
            {
                action();
            }
            catch (Exception exception)
            {
                thrown = exception;
            }
        });
        thread.Start();
        thread.Join();
        if (setupFailure is not null) throw setupFailure;
        return thrown;
    }

    private static bool DropNetRaw(ref CapabilityHeader header, CapabilityData[] data)
    {
        data[0].Effective &= ~(1u << CapNetRaw);
        return capset(ref header, data) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int capget(ref CapabilityHeader header, [In, Out] CapabilityData[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref CapabilityHeader header, [In] CapabilityData[] data);
}
