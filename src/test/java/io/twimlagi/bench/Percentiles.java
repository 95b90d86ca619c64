package io.twimlagi.bench;

import java.util.Arrays;

/** p50/p95/p99/max of a set of milliseconds, for the benches' tables. */
record Percentiles(int n, double p50, double p95, double p99, double max) {
    static Percentiles of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Percentiles(v.length, at(v, 50), at(v, 95), at(v, 99), v[v.length - 1]);
    }

    /** Nearest rank. */
    private static double at(double[] sorted, int p) {
        int rank = (int) Math.ceil(sorted.length * p / 100.0);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return String.format("p50 %.3f  p95 %.3f  p99 %.3f  max %.3f ms (n=%d)", p50, p95, p99, max, n);
    }
}
