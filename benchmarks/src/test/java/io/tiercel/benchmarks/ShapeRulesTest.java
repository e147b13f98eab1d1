package io.tiercel.benchmarks;

import io.tiercel.testing.arch.ShapeRules;

/** The shape rules on this module's own code (and STYLE rule 7 over its test classpath). */
class ShapeRulesTest extends ShapeRules {}
