/**
 * The {@code file_storage} extension: a directory where components keep state across restarts, such
 * as an exporter's persistent sending queue ({@link
 * io.tiercel.core.extension.storage.StorageExtension} is what a component asks its host for).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.storage;
