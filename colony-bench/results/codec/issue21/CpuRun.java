import dev.colony.bench.CodecBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Thread CPU time per round trip, colonyCodec and stockJackson alternating in rounds (load-robust). */
public class CpuRun {
    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String size : new String[] {"4k", "500"}) {
            CodecBenchmark b = new CodecBenchmark();
            b.size = size;
            b.setUp();
            int n = size.equals("4k") ? 20_000 : 150_000;
            Object sink = null;
            for (int w = 0; w < 3; w++) { for (int i = 0; i < n; i++) { sink = b.colonyCodec(); sink = b.stockJackson(); } }
            StringBuilder line = new StringBuilder("[" + size + "] us/op colony / jackson / ratio per round:");
            double[] ratios = new double[5];
            for (int r = 0; r < 5; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) sink = b.colonyCodec();
                long t1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) sink = b.stockJackson();
                long t2 = mx.getCurrentThreadCpuTime();
                double c = (t1 - t0) / 1e3 / n, j = (t2 - t1) / 1e3 / n;
                ratios[r] = j / c;
                line.append(String.format(" %.2f/%.2f/%.2fx", c, j, j / c));
            }
            java.util.Arrays.sort(ratios);
            System.out.println(line + String.format("  min %.2fx median %.2fx", ratios[0], ratios[2]) + (sink == null ? "" : ""));
        }
    }
}
