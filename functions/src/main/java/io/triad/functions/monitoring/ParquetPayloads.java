package io.triad.functions.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Payload lines as one Parquet file (one row group, uncompressed, plain encoding): the columns
 * {@code time}, {@code request_id}, {@code model}, {@code version}, {@code source} (strings),
 * {@code instance} (int64), and {@code input} and {@code output} as JSON text, which Athena,
 * BigQuery and Spark read as JSON. Parquet's own column writers encode the values; the pages and
 * the footer are laid out here with the format's Thrift structures, so no Hadoop is needed to
 * write.
 */
final class ParquetPayloads {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private static final List<String> TEXT =
      List.of("time", "request_id", "model", "version", "source");

  /** The file's schema: the text columns, the instance, then input and output as JSON. */
  static final MessageType SCHEMA = schema();

  private static MessageType schema() {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (String name : TEXT) {
      message.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
    }
    message.required(PrimitiveTypeName.INT64).named("instance");
    for (String name : List.of("input", "output")) {
      message.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named(name);
    }
    return message.named("payload");
  }

  private ParquetPayloads() {}

  /** {@code lines} (payload log lines, parsed) as the bytes of one Parquet file. */
  static byte[] write(List<JsonNode> lines) {
    try {
      Pages pages = new Pages();
      ParquetProperties properties =
          ParquetProperties.builder()
              .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
              .withDictionaryEncoding(false)
              .build();
      ColumnWriteStore columns = properties.newColumnWriteStore(SCHEMA, pages);
      RecordConsumer records = new ColumnIOFactory().getColumnIO(SCHEMA).getRecordWriter(columns);
      for (JsonNode line : lines) {
        records.startMessage();
        int index = 0;
        for (String name : TEXT) {
          text(records, name, index++, line.path(name).asText(""));
        }
        records.startField("instance", index);
        records.addLong(line.path("instance").asLong());
        records.endField("instance", index++);
        text(records, "input", index++, line.path("input").toString());
        text(records, "output", index, line.path("output").toString());
        records.endMessage();
        columns.endRecord();
      }
      columns.flush();
      return pages.file(lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException("writing payload lines as Parquet", e);
    }
  }

  private static void text(RecordConsumer records, String name, int index, String value) {
    records.startField(name, index);
    records.addBinary(Binary.fromString(value));
    records.endField(name, index);
  }

  /** The format's name of a type: Thrift calls BINARY a BYTE_ARRAY. */
  private static Type thrift(PrimitiveTypeName type) {
    return type == PrimitiveTypeName.BINARY ? Type.BYTE_ARRAY : Type.valueOf(type.name());
  }

  /** Every column's pages, kept until the file is laid out. */
  private static final class Pages implements PageWriteStore {
    private final Map<ColumnDescriptor, Column> columns = new LinkedHashMap<>();

    Pages() {
      for (ColumnDescriptor descriptor : SCHEMA.getColumns()) {
        columns.put(descriptor, new Column());
      }
    }

    @Override
    public PageWriter getPageWriter(ColumnDescriptor path) {
      return columns.get(path);
    }

    /** The file: magic, each column's pages in schema order, the footer, its length, magic. */
    byte[] file(long rows) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(MAGIC);
      List<ColumnChunk> chunks = new ArrayList<>();
      long total = 0;
      for (Map.Entry<ColumnDescriptor, Column> entry : columns.entrySet()) {
        ColumnDescriptor descriptor = entry.getKey();
        Column column = entry.getValue();
        long start = out.size();
        out.write(column.bytes.toByteArray());
        long size = out.size() - start;
        total += size;
        List<org.apache.parquet.format.Encoding> encodings = new ArrayList<>();
        for (Encoding encoding : column.encodings) {
          encodings.add(org.apache.parquet.format.Encoding.valueOf(encoding.name()));
        }
        ColumnMetaData meta =
            new ColumnMetaData(
                thrift(descriptor.getPrimitiveType().getPrimitiveTypeName()),
                encodings,
                List.of(descriptor.getPath()),
                CompressionCodec.UNCOMPRESSED,
                column.values,
                size,
                size,
                start);
        ColumnChunk chunk = new ColumnChunk(start);
        chunk.setMeta_data(meta);
        chunks.add(chunk);
      }
      FileMetaData footer =
          new FileMetaData(1, schema(), rows, List.of(new RowGroup(chunks, total, rows)));
      footer.setCreated_by("triad payload log");
      ByteArrayOutputStream metadata = new ByteArrayOutputStream();
      Util.writeFileMetaData(footer, metadata);
      metadata.writeTo(out);
      int length = metadata.size();
      out.write(
          new byte[] {
            (byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)
          });
      out.write(MAGIC);
      return out.toByteArray();
    }

    private static List<SchemaElement> schema() {
      List<SchemaElement> elements = new ArrayList<>();
      SchemaElement root = new SchemaElement(SCHEMA.getName());
      root.setNum_children(SCHEMA.getFieldCount());
      elements.add(root);
      for (org.apache.parquet.schema.Type field : SCHEMA.getFields()) {
        PrimitiveTypeName type = field.asPrimitiveType().getPrimitiveTypeName();
        SchemaElement element = new SchemaElement(field.getName());
        element.setType(thrift(type));
        element.setRepetition_type(FieldRepetitionType.REQUIRED);
        LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
        if (logical != null) {
          element.setConverted_type(
              logical.equals(LogicalTypeAnnotation.jsonType())
                  ? ConvertedType.JSON
                  : ConvertedType.UTF8);
        }
        elements.add(element);
      }
      return elements;
    }
  }

  /** One column's pages: each page header and its values, as they are written. */
  private static final class Column implements PageWriter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Set<Encoding> encodings = new LinkedHashSet<>();
    long values;

    @Override
    @SuppressWarnings("deprecation") // abstract still, so it is written
    public void writePage(
        BytesInput page,
        int valueCount,
        Statistics<?> statistics,
        Encoding repetition,
        Encoding definition,
        Encoding encoding)
        throws IOException {
      writePage(page, valueCount, valueCount, statistics, repetition, definition, encoding);
    }

    @Override
    public void writePage(
        BytesInput page,
        int valueCount,
        int rowCount,
        Statistics<?> statistics,
        Encoding repetition,
        Encoding definition,
        Encoding encoding)
        throws IOException {
      int size = Math.toIntExact(page.size());
      PageHeader header = new PageHeader(PageType.DATA_PAGE, size, size);
      header.setData_page_header(
          new DataPageHeader(
              valueCount,
              org.apache.parquet.format.Encoding.valueOf(encoding.name()),
              org.apache.parquet.format.Encoding.valueOf(definition.name()),
              org.apache.parquet.format.Encoding.valueOf(repetition.name())));
      Util.writePageHeader(header, bytes);
      page.writeAllTo(bytes);
      encodings.add(repetition);
      encodings.add(definition);
      encodings.add(encoding);
      values += valueCount;
    }

    @Override
    @SuppressWarnings("deprecation") // what older column writers call
    public void writePage(
        BytesInput page,
        int valueCount,
        int rowCount,
        Statistics<?> statistics,
        org.apache.parquet.column.statistics.SizeStatistics sizes,
        Encoding repetition,
        Encoding definition,
        Encoding encoding)
        throws IOException {
      writePage(page, valueCount, rowCount, statistics, repetition, definition, encoding);
    }

    @Override
    public void writePage(
        BytesInput page,
        int valueCount,
        int rowCount,
        Statistics<?> statistics,
        org.apache.parquet.column.statistics.SizeStatistics sizes,
        org.apache.parquet.column.statistics.geospatial.GeospatialStatistics geospatial,
        Encoding repetition,
        Encoding definition,
        Encoding encoding)
        throws IOException {
      writePage(page, valueCount, rowCount, statistics, repetition, definition, encoding);
    }

    @Override
    public void writePageV2(
        int rowCount,
        int nullCount,
        int valueCount,
        BytesInput repetitionLevels,
        BytesInput definitionLevels,
        Encoding dataEncoding,
        BytesInput data,
        Statistics<?> statistics) {
      throw new UnsupportedOperationException("written as Parquet 1.0 pages only");
    }

    @Override
    public long getMemSize() {
      return bytes.size();
    }

    @Override
    public long allocatedSize() {
      return bytes.size();
    }

    @Override
    public void writeDictionaryPage(DictionaryPage page) {
      throw new UnsupportedOperationException("written without dictionaries");
    }

    @Override
    public String memUsageString(String prefix) {
      return prefix + " " + bytes.size() + " bytes";
    }
  }
}
