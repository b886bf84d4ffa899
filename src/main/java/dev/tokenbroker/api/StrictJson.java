package dev.tokenbroker.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * JSON bodies are read strictly: a key given twice is refused (a proxy or audit tool in front may
 * read the first value where the broker would take the last), and nesting depth and string length
 * are bounded far below Jackson's defaults.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  static final int MAX_NESTING_DEPTH = 16;
  static final int MAX_STRING_LENGTH = 32_768;

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(32)
                .build());
  }
}
