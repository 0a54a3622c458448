// markdown-it ships no types; the escape tests use it only to render Markdown as a viewer would.
declare module 'markdown-it';
