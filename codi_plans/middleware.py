API_PREFIX = "/api/"


class ThaiFirstMiddleware:
    """Ignore the browser's Accept-Language so pages open in Thai; the language switch (a cookie) still wins.

    Many staff and community phones are set to English; CODI's working language is Thai. API clients are programs
    whose authors ask for a language on purpose, so under /api/ an Accept-Language header is honoured (error
    messages in English with `Accept-Language: en`); without one the API answers in Thai too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
