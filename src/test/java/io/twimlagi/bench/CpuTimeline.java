package io.twimlagi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who used the cores, second by second: the CPU of named processes (from {@code /proc/PID/stat}, % of one core),
 * their thread counts, and the whole machine's busy share (from {@code /proc/stat}), sampled on a thread of its own.
 * For the benches' reports: with the load generator on the same machine, the reader must see its share too.
 */
final class CpuTimeline implements AutoCloseable {
    private static final double HZ = 100.0; // USER_HZ

    /** One second: the machine's busy % of all cores, each process's % of one core and its threads. */
    record Sample(double atSeconds, double machineBusy, double[] cpu, int[] threads, double load1) {
    }

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private final Thread thread;
    private volatile boolean closed;

    CpuTimeline(Map<String, Long> pids) {
        this.pids.putAll(pids);
        thread = new Thread(this::run, "cpu-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long[] prev = ticks();
        long[] prevMachine = machine();
        long prevAt = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long[] now = ticks();
            long[] nowMachine = machine();
            long at = System.nanoTime();
            double seconds = (at - prevAt) / 1e9;
            double[] cpu = new double[now.length];
            for (int i = 0; i < now.length; i++) {
                cpu[i] = now[i] < 0 || prev[i] < 0 ? Double.NaN : (now[i] - prev[i]) / HZ / seconds * 100;
            }
            long total = nowMachine[0] - prevMachine[0];
            double busy = total <= 0 ? Double.NaN : 100.0 * (total - (nowMachine[1] - prevMachine[1])) / total;
            synchronized (samples) {
                samples.add(new Sample((at - t0) / 1e9, busy, cpu, threads(), load1()));
            }
            prev = now;
            prevMachine = nowMachine;
            prevAt = at;
        }
    }

    private long[] ticks() {
        long[] t = new long[pids.size()];
        int i = 0;
        for (long pid : pids.values()) t[i++] = cpuTicks(pid);
        return t;
    }

    private int[] threads() {
        int[] t = new int[pids.size()];
        int i = 0;
        for (long pid : pids.values()) t[i++] = threadCount(pid);
        return t;
    }

    /** utime + stime of a process in ticks, -1 when it is gone. */
    static long cpuTicks(long pid) {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int threadCount(long pid) {
        if (pid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** All ticks and idle + iowait ticks of the machine. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Mean % of one core of each process between two times (seconds since the start). */
    double[] mean(double from, double to) {
        double[] sum = new double[pids.size()];
        int n = 0;
        for (Sample s : samples()) {
            if (s.atSeconds() <= from || s.atSeconds() > to) continue;
            for (int i = 0; i < sum.length; i++) sum[i] += Double.isNaN(s.cpu()[i]) ? 0 : s.cpu()[i];
            n++;
        }
        for (int i = 0; i < sum.length; i++) sum[i] = n == 0 ? Double.NaN : sum[i] / n;
        return sum;
    }

    double now() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The timeline, {@code every} seconds a row (averaged), as a text table. */
    String table(int every) {
        StringBuilder b = new StringBuilder(String.format("  %6s %6s %5s", "s", "busy%", "load"));
        for (String name : pids.keySet()) b.append(String.format(" %14s", name + " %/thr"));
        b.append('\n');
        List<Sample> all = samples();
        for (int i = 0; i < all.size(); i += every) {
            List<Sample> rows = all.subList(i, Math.min(all.size(), i + every));
            double busy = rows.stream().mapToDouble(Sample::machineBusy).average().orElse(Double.NaN);
            Sample last = rows.get(rows.size() - 1);
            b.append(String.format("  %6.0f %6.0f %5.1f", last.atSeconds(), busy, last.load1()));
            for (int p = 0; p < pids.size(); p++) {
                int col = p;
                double cpu = rows.stream().mapToDouble(s -> s.cpu()[col]).average().orElse(Double.NaN);
                b.append(String.format(" %9.0f/%4d", cpu, last.threads()[p]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
