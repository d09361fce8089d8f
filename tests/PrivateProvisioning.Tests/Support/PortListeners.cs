using System.Linq;
using System.Net;
using System.Net.NetworkInformation;

namespace PrivateProvisioning.Tests.Support
{
    /// <summary>
    /// Whether a peer process has bound its port yet, read from the system's socket table (/proc/net/udp and tcp on
    /// Linux). Probing by binding the port ourselves raced with the peer: a peer that tried to bind while the probe held
    /// the port failed with EADDRINUSE and exited (sipp: "Unable to bind main socket, errno = 98").
    /// </summary>
    public static class PortListeners
    {
        public static bool IsBound(int port, bool tcp)
        {
            var table = IPGlobalProperties.GetIPGlobalProperties();
            var endpoints = tcp ? table.GetActiveTcpListeners() : table.GetActiveUdpListeners();
            return endpoints.Any(e => e.Port == port && (e.Address.Equals(IPAddress.Loopback) || e.Address.Equals(IPAddress.Any)));
        }
    }
}
