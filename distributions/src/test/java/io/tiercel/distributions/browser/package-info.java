/**
 * The status page in a real browser: headless Chromium (Debian's {@code chromium}, installed by
 * {@code bin/test}) driven over the DevTools protocol.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.distributions.browser;
