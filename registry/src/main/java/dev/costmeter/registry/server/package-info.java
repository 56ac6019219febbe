/**
 * The public API of the costmeter schema registry: {@link
 * dev.costmeter.registry.server.SchemaRegistryServer}, configured with {@link
 * dev.costmeter.registry.server.RegistryServerConfig}. Everything in other packages of this module
 * is internal.
 */
package dev.costmeter.registry.server;
