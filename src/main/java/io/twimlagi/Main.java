package io.twimlagi;

public final class Main {
    public static void main(String[] args) {
    }
}
