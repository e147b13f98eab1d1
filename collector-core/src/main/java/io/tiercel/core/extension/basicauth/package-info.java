/**
 * The {@code basicauth} extension (the collector's keys): with {@code htpasswd} a server
 * authenticator of HTTP Basic credentials, with {@code client_auth} a client authenticator that
 * sends them.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.basicauth;
