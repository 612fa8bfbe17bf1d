package io.triad.functions.api;

/** The JSON body of every error answer: {@code {"error": "..."}}. */
public record ErrorBody(String error) {}
