package io.tiercel.core.builtin.debug;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;

/**
 * An slf4j logger that records the messages given to {@code info(String)}; everything else is
 * ignored.
 */
final class CapturingLogger {
  final List<String> infos = new CopyOnWriteArrayList<>();
  final Logger logger =
      (Logger)
          Proxy.newProxyInstance(
              Logger.class.getClassLoader(),
              new Class<?>[] {Logger.class},
              (proxy, method, args) -> {
                if (method.getName().equals("info")
                    && args != null
                    && args.length == 1
                    && args[0] instanceof String s) {
                  infos.add(s);
                }
                if (method.getReturnType() == boolean.class) {
                  return method.getName().equals("isInfoEnabled");
                }
                return method.getName().equals("getName") ? "capture" : null;
              });
}
