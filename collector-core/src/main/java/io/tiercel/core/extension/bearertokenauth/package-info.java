/**
 * The {@code bearertokenauth} extension (the collector's keys): a static token, several, or a file
 * of tokens reloaded when it changes; as a server authenticator it checks the token a request
 * carries, as a client authenticator it sends the first one.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.bearertokenauth;
