/**
 * The core's own workings, public only because Java packages cannot share otherwise. Adapters,
 * models and infra never import from here ({@code SourceRulesTest} in integration-tests): what they
 * may use is the rest of {@code io.triad.functions}.
 */
package io.triad.functions.internal;
