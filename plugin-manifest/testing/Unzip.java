import java.io.*;
import java.nio.file.*;
import java.util.zip.*;

// Reads a zip the way pf4j's Unzip does (ZipInputStream, entry by entry), recursing into *.zip entries.
public class Unzip {
  static void list(InputStream in, String indent) throws IOException {
    ZipInputStream zis = new ZipInputStream(in);
    ZipEntry e;
    while ((e = zis.getNextEntry()) != null) {
      byte[] data = zis.readAllBytes();
      System.out.println(indent + e.getName() + " " + data.length + " " + e.getLastModifiedTime());
      if (e.getName().endsWith(".zip")) list(new ByteArrayInputStream(data), indent + "  ");
    }
  }
  public static void main(String[] args) throws IOException {
    list(Files.newInputStream(Paths.get(args[0])), "");
  }
}
