package io.mindstream.lsl4j;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/** Socket helpers: binding inside the LSL port range, choosing multicast interfaces. */
final class Net {
    private Net() {
    }

    /** A listening TCP socket on the first free port of BasePort..BasePort+PortRange-1 (else random if allowed). */
    static ServerSocket bindTcpInRange(LslConfig cfg) throws IOException {
        for (int p = cfg.basePort(); p < cfg.basePort() + cfg.portRange(); p++) {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress(p), 64);
                return s;
            } catch (BindException e) {
                s.close();
            }
        }
        if (!cfg.allowRandomPorts())
            throw new BindException("all TCP ports " + cfg.basePort() + ".." + (cfg.basePort() + cfg.portRange() - 1)
                    + " are in use and ports.AllowRandomPorts is off");
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(0), 64);
        return s;
    }

    /** A UDP socket on the first free port of the range (else random if allowed). */
    static DatagramSocket bindUdpInRange(LslConfig cfg) throws IOException {
        for (int p = cfg.basePort(); p < cfg.basePort() + cfg.portRange(); p++) {
            try {
                return new DatagramSocket(new InetSocketAddress(p));
            } catch (BindException e) {
                // taken: try the next one
            }
        }
        if (!cfg.allowRandomPorts())
            throw new BindException("all UDP ports " + cfg.basePort() + ".." + (cfg.basePort() + cfg.portRange() - 1)
                    + " are in use and ports.AllowRandomPorts is off");
        return new DatagramSocket(new InetSocketAddress(0));
    }

    /** Interfaces to send or join multicast on: the configured ones, else all UP + MULTICAST with an IPv4 address. */
    static List<NetworkInterface> multicastInterfaces(LslConfig cfg) {
        List<NetworkInterface> out = new ArrayList<>();
        try {
            if (!cfg.interfaces().isEmpty()) {
                for (String a : cfg.interfaces()) {
                    try {
                        NetworkInterface ni = NetworkInterface.getByInetAddress(InetAddress.getByName(a));
                        if (ni != null) out.add(ni);
                    } catch (IOException e) {
                        // an unknown address in the config: skip it
                    }
                }
                return out;
            }
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements()) {
                NetworkInterface ni = all.nextElement();
                if (ni.isUp() && ni.supportsMulticast() && hasIpv4(ni)) out.add(ni);
            }
        } catch (SocketException e) {
            // no interfaces visible: unicast discovery still works
        }
        return out;
    }

    private static boolean hasIpv4(NetworkInterface ni) {
        Enumeration<InetAddress> as = ni.getInetAddresses();
        while (as.hasMoreElements()) if (as.nextElement() instanceof Inet4Address) return true;
        return false;
    }

    static boolean isMulticast(String addr) {
        try {
            return InetAddress.getByName(addr).isMulticastAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** This machine's host name, looked up once (the lookup can be slow where DNS is misconfigured). */
    static String hostname() {
        return HostName.VALUE;
    }

    private static final class HostName {
        static final String VALUE = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                String h = System.getenv("HOSTNAME");
                return h == null ? "localhost" : h;
            }
        }
    }
}
