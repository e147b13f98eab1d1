package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What Linux says about a process: CPU seconds (utime + stime of {@code /proc/<pid>/stat}, all
 * threads) and peak resident set ({@code VmHWM} of {@code /proc/<pid>/status}); and a one-line
 * description of the machine.
 */
final class ProcStat {
  private static final double TICKS = clockTicks();

  private ProcStat() {}

  /** User + system CPU seconds of {@code pid} so far. */
  static double cpuSeconds(long pid) {
    try {
      return cpuSecondsOfStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat (Linux only): " + e, e);
    }
  }

  /** User + system CPU seconds of a {@code stat} line of a process or one of its threads. */
  static double cpuSecondsOfStat(String s) {
    // the command name (field 2) may hold spaces: the fields after it start after the last ')'
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
  }

  /** Peak resident set of {@code pid} in bytes ({@code VmHWM}). */
  static long peakRssBytes(long pid) {
    return statusKb(pid, "VmHWM:") * 1024;
  }

  static long self() {
    return ProcessHandle.current().pid();
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
      throw new IllegalStateException("no " + key + " in /proc/" + pid + "/status");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e, e);
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // the Linux default (USER_HZ)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  /** "N cores (model), X GiB, Java V, load average A" from /proc. */
  static String machine() {
    String model = "unknown CPU";
    long memKb = 0;
    String load = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      List<String> mem = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String line : mem) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
        }
      }
      load = loadAverage();
    } catch (IOException e) {
      // not Linux: keep what we have
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB, Java %s (%s), load average %s",
        Runtime.getRuntime().availableProcessors(),
        model,
        memKb / 1024.0 / 1024.0,
        System.getProperty("java.version"),
        ManagementFactory.getRuntimeMXBean().getVmName(),
        load);
  }

  /** The 1-minute load average. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
