package dev.paystream.platform.web;

import java.util.List;

/** A page of a list as CONTRACT §1 shows it: {@code {"data":[...], "has_more":bool}}. */
public record Page<T>(List<T> data, boolean hasMore) {

    public Page {
        data = List.copyOf(data);
    }
}
